"""``foi import``: record what a person saved in a browser, exactly as a harvest would.

When a site cannot be reached by a program (a bot wall), a person can still open a
request in a browser and save it. This reads, from one folder (or a saved page and the
folder it is in):

- the request page (``*.html``, "Save page as"): its attachment links (both link forms),
  hidden and erased attachments, and the text of every message and annotation;
- the request JSON, if saved too (``<url_title>.json``, from ``/request/<url_title>.json``):
  events, tags, status, law used, requester: everything a harvest stores;
- the attachment files: matched to the page's links by name (as the site names them,
  as the browser saved them, or as a harvest names them: ``<message>-<part>-<name>``).

Each matched file is copied into ``out`` where a harvest would put it
(``<authority>/<url_title>/<message>-<part>-<name>``) and recorded with its sha256, so
``foi extract`` and ``foi check`` work the same. A linked attachment with no saved file is
recorded as failed ("not among the saved files"), never silently absent. Without a page,
``--url`` names the request and every file in the folder is recorded as one of its
attachments. Nothing is fetched from the network.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..errors import UsageError
from ..files import media_type_of, sha256_file
from ..store import Store
from .client import (
    URL_TITLE,
    AttachmentLink,
    RequestInfo,
    RequestPage,
    parse_request_page,
    request_info,
)
from .harvest import (
    UNKNOWN_AUTHORITY,
    AttachmentResult,
    HarvestSummary,
    RequestResult,
    attachment_target,
    harvested,
    withheld_result,
)
from .names import inside, safe_name

PAGE_SUFFIXES = (".html", ".htm")
HARVEST_NAME = re.compile(r"^(\d+)-(\d+)-(.+)$")  # <message>-<part>-<name>, as harvests save
MAX_PAGE_BYTES = 32 * 1024**2


@dataclass
class Saved:
    """What was found in the folder."""

    folder: Path
    page: Path | None = None
    json: Path | None = None
    files: list[Path] = field(default_factory=list)


def _request_url(page_html: str, url: str | None) -> str:
    if url:
        return url
    for pattern in (
        r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"',
        r'<link[^>]+href="([^"]+)"[^>]+rel="canonical"',
        r'<meta[^>]+property="og:url"[^>]+content="([^"]+)"',
        r"saved from url=\(\d+\)(\S+)",  # the comment browsers add to a saved page
    ):
        found = re.search(pattern, page_html, re.IGNORECASE)
        if found and "/request/" in found.group(1):
            return found.group(1).strip()
    raise UsageError(
        "cannot tell which request this is: give its request URL "
        "(e.g. https://www.whatdotheyknow.com/request/some_request)",
        setting="url",
    )


def _split_url(url: str) -> tuple[str, str]:
    """(base URL, url_title) from a request URL (``/cy/`` prefix and anchors allowed)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{url!r}: not an http(s) request URL", setting="url")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if segments and re.fullmatch(r"[a-z]{2}(_[A-Za-z]{2})?", segments[0]):
        segments = segments[1:]
    if len(segments) < 2 or segments[0] != "request":
        raise UsageError(f"{url!r}: not a request URL (/request/<url_title>)", setting="url")
    title = segments[1].removesuffix(".json")
    if not URL_TITLE.fullmatch(title) or title.isdigit():
        raise UsageError(f"{url!r}: no url_title in it", setting="url")
    return f"{parts.scheme}://{parts.netloc}", title


def find_saved(path: Path) -> Saved:
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    folder = path if path.is_dir() else path.parent
    saved = Saved(folder, page=path if path.is_file() else None)
    if saved.page is not None and saved.page.suffix.lower() not in PAGE_SUFFIXES:
        raise UsageError(f"{path}: give a saved request page (.html) or a folder")
    candidates = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    pages = [p for p in candidates if p.suffix.lower() in PAGE_SUFFIXES and _is_request_page(p)]
    if saved.page is None and pages:
        saved.page = pages[0]
    jsons = [p for p in candidates if p.suffix.lower() == ".json"]
    saved.json = jsons[0] if jsons else None
    skip = {saved.page, saved.json}
    saved.files = [p for p in candidates if p not in skip and p not in pages]
    return saved


def _is_request_page(path: Path) -> bool:
    if path.stat().st_size > MAX_PAGE_BYTES:
        return False
    head = path.read_bytes()[: 2 * 1024**2].decode("utf-8", errors="replace")
    return 'class="incoming' in head or 'class="outgoing' in head


def _request(saved: Saved, base_url: str, url_title: str, page_html: str) -> RequestInfo:
    if saved.json is not None:
        try:
            data = json.loads(saved.json.read_text("utf-8"))
            info = request_info(data, base_url)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(f"{saved.json}: not a request JSON ({exc})") from None
        if info.url_title != url_title:
            raise UsageError(f"{saved.json}: is request {info.url_title}, the page {url_title}")
        return info
    return _request_from_page(page_html, base_url, url_title)


def _request_from_page(page_html: str, base_url: str, url_title: str) -> RequestInfo:
    """What the page alone says: its title and authority (no events or tags)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page_html)
    heading = tree.css_first("h1")
    authority = authority_name = ""
    for anchor in tree.css("a[href]"):
        path = urlsplit(anchor.attributes.get("href") or "").path
        segments = [s for s in path.split("/") if s]
        if len(segments) == 2 and segments[0] == "body":
            authority, authority_name = unquote(segments[1]), " ".join(anchor.text().split())
            break
    old_ids = re.findall(r"/request/(\d+)/response/\d+/attach/", page_html)
    return RequestInfo(
        url_title=url_title,
        id=int(old_ids[0]) if old_ids else None,
        title=" ".join(heading.text().split()) if heading else "",
        authority=authority,
        authority_name=authority_name,
        status=None,
        created_at=None,
        updated_at=None,
        url=f"{base_url}/request/{quote(url_title)}",
    )


def _names_for(link: AttachmentLink) -> list[str]:
    """The names a browser or a harvest may have given this attachment's file."""
    from_url = unquote(urlsplit(link.url).path.rsplit("/", 1)[-1])
    names = [link.filename, from_url, safe_name(link.filename), safe_name(from_url)]
    names.append(f"{link.incoming_message_id}-{link.part}-{safe_name(link.filename)}")
    return list(dict.fromkeys(n for n in names if n))


def _match(link: AttachmentLink, files: list[Path], used: set[Path]) -> Path | None:
    wanted = _names_for(link)
    for name in wanted:
        for path in files:
            if path not in used and path.name == name:
                return path
    return None


def _copy_in(source: Path, target: Path) -> AttachmentResult:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not (target.is_file() and sha256_file(target) == sha256_file(source)):
        partial = target.with_name(f".{target.name}.part")
        shutil.copyfile(source, partial)
        partial.replace(target)
    return AttachmentResult(
        url="",
        path=str(target),
        status="downloaded",
        size=target.stat().st_size,
        sha256=sha256_file(target),
        media_type=media_type_of(target),
    )


def _from_page(
    request: RequestInfo, page: RequestPage, saved: Saved, out: Path
) -> list[AttachmentResult]:
    results: list[AttachmentResult] = []
    used: set[Path] = set()
    for link in page.attachments:
        found = _match(link, saved.files, used)
        if found is None:
            results.append(
                AttachmentResult(
                    url=link.url,
                    path="",
                    status="failed",
                    incoming_message_id=link.incoming_message_id,
                    part=link.part,
                    filename=link.filename,
                    error=f"{link.url}: not among the saved files in {saved.folder}",
                )
            )
            continue
        used.add(found)
        item = _copy_in(found, attachment_target(out, request, link))
        item.url, item.filename = link.url, link.filename
        item.incoming_message_id, item.part = link.incoming_message_id, link.part
        item.display_size = link.display_size
        results.append(item)
    return results


def _from_folder(request: RequestInfo, saved: Saved, out: Path) -> list[AttachmentResult]:
    """No page: every file is an attachment; ``<message>-<part>-<name>`` keeps its place."""
    results = []
    for path in saved.files:
        named = HARVEST_NAME.match(path.name)
        message, part, name = (
            (int(named.group(1)), int(named.group(2)), named.group(3))
            if named
            else (None, None, path.name)
        )
        if message is not None:
            url = f"{request.url}/response/{message}/attach/{part}/{quote(name, safe='')}"
            target_name = path.name
        else:
            url = f"{request.url}/imported/{quote(safe_name(name), safe='')}"
            target_name = safe_name(name)
        target = inside(out, request.authority or UNKNOWN_AUTHORITY, request.url_title, target_name)
        item = _copy_in(path, target)
        item.url, item.filename = url, name
        item.incoming_message_id, item.part = message, part
        results.append(item)
    return results


def import_saved(
    path: Path, *, url: str | None = None, out: Path, store: Store | None
) -> HarvestSummary:
    """Record a saved request page (with its files) or a folder of attachments."""
    saved = find_saved(Path(path))
    page_html = ""
    if saved.page is not None:
        page_html = saved.page.read_bytes()[:MAX_PAGE_BYTES].decode("utf-8", errors="replace")
    request_url = _request_url(page_html, url)
    base_url, url_title = _split_url(request_url)
    if saved.page is None and url is None:
        raise UsageError(f"{path}: no saved request page here; give the request `url`")
    request = _request(saved, base_url, url_title, page_html)
    page = parse_request_page(page_html, url_title, base_url, request.id) if page_html else None
    result = RequestResult(url_title, request=request, page=page)
    if page is not None:
        result.attachments = _from_page(request, page, saved, out)
        result.attachments.extend(withheld_result(request, w) for w in page.withheld)
        if page.unreadable and not page.attachments:
            result.warnings.append(
                f"{saved.page}: lists {page.unreadable} attachments but none could be read"
            )
    else:
        result.attachments = _from_folder(request, saved, out)
    if store is not None:
        store.record_harvest(harvested(request, page, result.attachments, source="import"))
    summary = HarvestSummary()
    summary.add(result)
    return summary
