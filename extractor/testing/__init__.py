"""Test tooling shipped with the package: a fake Alaveteli for tests, benchmarks and the demo.

Nothing in the client (``extractor.wdtk``) imports this package.
"""
