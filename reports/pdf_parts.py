"""A long PDF rendered in parts, in parallel, and merged into one document.

WeasyPrint lays a document out in one process and keeps every page's boxes in
memory until the file is written: the complete council report of a large city
(about 660 pages) took 100 s of CPU and 1.7 GB. reports.render cuts such a
document into parts of a few dozen pages where a page break falls anyway (a
chapter) or is forced (reports.render.part_starts), and this module renders each
part in a process of its own (at most REPORT_RENDER_PROCESSES at once, each
ending after its part, so its memory goes back to the system), then merges them
with pikepdf (qpdf) into one document that reads as if it had been rendered whole:

- the title page and the table of contents are rendered last, with the page each
  heading landed on printed literally (the parts' named destinations);
- the footer's "Page X of N" is stamped on each page afterwards (the parts are
  rendered without it, as their place in the document is not known yet): the
  numbers are laid out by WeasyPrint in the footer's own style and drawn on each
  page as a Form XObject marked as an artifact, so they stay outside the tags;
- the tag tree (the parts' structure elements under one Document element, with
  the parent tree renumbered), named destinations (the contents' links), the
  outline (bookmarks of every chapter and section), the language, the title and
  the other metadata are carried over;
- the result is written with object streams (most of its ~140,000 objects are
  small ones of the tag tree: without them the file is four times as large).

The worker function (render_part) imports WeasyPrint only, not Django: the
processes are forked from a small forkserver, not from the Django process with
its database connections and threads.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass, field


@dataclass
class Part:
    data: bytes
    pages: int
    # Anchor name -> (page index in the part, x, y in PDF points from the bottom-left)
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)


def render_part(html: str, base_url: str) -> Part:
    """Render one part (runs in a child process)."""
    import gc

    from weasyprint import HTML

    # WeasyPrint makes millions of small objects; the cyclic collector's passes over them
    # cost an eighth of the time. The process ends after the part, which frees it all.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)

    document = HTML(string=html, base_url=base_url).render(pdf_tags=True)
    anchors: dict[str, tuple[int, float, float]] = {}
    for index, page in enumerate(document.pages):
        height = page.height
        for name, (x, y, *_rest) in page.anchors.items():
            # CSS pixels from the top-left -> PDF points from the bottom-left, as WeasyPrint writes them.
            anchors.setdefault(name, (index, x * 0.75, (height - y) * 0.75))
    return Part(document.write_pdf(pdf_tags=True), len(document.pages), anchors)


def render_untagged(html: str, base_url: str) -> bytes:
    """Render a page-number overlay (runs in a child process); no tags: it is stamped as an artifact."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def pool(processes: int):
    """A pool whose processes end after one part each (their memory is returned)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["reports.pdf_parts", "weasyprint"])
    return context.Pool(processes=processes, maxtasksperchild=1)


# --- Merging ---------------------------------------------------------------------------


def merge(
    front: Part,
    parts: list[Part],
    numbers: list[bytes],
    outline: list[tuple[int, str, str]],
) -> bytes:
    """One PDF of ``front`` and ``parts`` in order, with the page numbers of ``numbers``
    (overlay PDFs, one page per page of the result, in order) stamped on, and the
    outline ``outline``: (level, title, anchor name) for each bookmark after the
    front's own (the front's outline is kept as it is)."""
    import io

    import pikepdf
    from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String

    pdf = Pdf.new()

    def copy_from(source, obj):
        """``obj`` of ``source`` in the merged document (qpdf copies only indirect objects)."""
        if isinstance(obj, (Array, Dictionary)) and not obj.is_indirect:
            obj = source.make_indirect(obj)
        return pdf.copy_foreign(obj) if isinstance(obj, pikepdf.Object) and obj.is_indirect else obj

    def own_streams(source: Pdf, first_page: int) -> None:
        """Give the streams copied from ``source`` (the pages' contents, fonts, images) their
        data, so that ``source`` can be closed: qpdf reads a copied stream's data from its
        source only when the result is written, so every part's parsed objects (about as
        much memory as their copies) would stay until then."""
        seen: set[tuple[int, int]] = set()
        todo = list(pdf.pages[first_page:])
        while todo:
            item = todo.pop()
            item = item.obj if isinstance(item, pikepdf.Page) else item
            if not isinstance(item, (Array, Dictionary, pikepdf.Stream)):
                continue
            if item.is_indirect:
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
            if isinstance(item, pikepdf.Stream):
                item.write(item.read_raw_bytes(), filter=item.get("/Filter"), decode_parms=item.get("/DecodeParms"))
            if isinstance(item, Array):
                todo.extend(item)
            else:
                todo.extend(value for key, value in item.items() if key not in ("/Parent", "/P"))

    front_pdf = Pdf.open(io.BytesIO(front.data))  # its catalog and outline are read again below
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    struct_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = struct_root
    nums, namespaces = Array(), Array()
    key_base = 0
    starts = []
    for index, part in enumerate((front, *parts)):
        source = front_pdf if index == 0 else Pdf.open(io.BytesIO(part.data))
        starts.append(len(pdf.pages))
        # Copying the pages first: qpdf maps every later reference to a page or annotation of
        # this source (the structure elements' /Pg and /Obj) to its copy.
        for page in source.pages:
            pdf.pages.append(page)
            new = pdf.pages[-1]
            if "/StructParents" in new:
                new.StructParents = int(new.StructParents) + key_base
            for annotation in new.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + key_base
        root = source.Root.get("/StructTreeRoot")
        if root is not None:
            kids = root.K if isinstance(root.K, Array) else Array([root.K])
            for kid in kids[0].get("/K", ()):  # the part's Document element's children
                clone = copy_from(source, kid)
                if isinstance(clone, Dictionary) and "/P" in clone:
                    clone.P = document
                document.K.append(clone)
            for namespace in root.get("/Namespaces", ()):
                namespaces.append(copy_from(source, namespace))
            part_nums = root.ParentTree.Nums
            highest = -1
            for i in range(0, len(part_nums), 2):
                key = int(part_nums[i])
                highest = max(highest, key)
                nums.append(key + key_base)
                nums.append(copy_from(source, part_nums[i + 1]))
            key_base += highest + 1
        if index:
            own_streams(source, starts[-1])
            root = kids = part_nums = None  # nothing of the part is held when it is closed
            source.close()
    struct_root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    struct_root.ParentTreeNextKey = key_base
    if len(namespaces):
        struct_root.Namespaces = namespaces
    pdf.Root.StructTreeRoot = struct_root
    front_catalog = front_pdf.Root
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        if key in front_catalog:
            pdf.Root[key] = copy_from(front_pdf, front_catalog[key])
    info = Dictionary()
    for key, value in front_pdf.docinfo.items():
        if isinstance(value, String):
            info[key] = value
    pdf.docinfo = pdf.make_indirect(info)

    # Named destinations: every part's anchors, at their page in the whole.
    pages = pdf.pages
    destinations: dict[str, tuple[int, float, float]] = {}
    for index in range(len(parts), -1, -1):  # the parts' real anchors win over the front's link targets
        part = (front, *parts)[index]
        for name, (page, x, y) in part.anchors.items():
            if index == 0 and name in destinations:
                continue
            destinations[name] = (starts[index] + page, x, y)
    names = Array()
    for name in sorted(destinations):
        page, x, y = destinations[name]
        names.append(String(name))
        names.append(Array([pages[page].obj, Name.XYZ, x, y, 0]))
    pdf.Root.Names = pdf.make_indirect(Dictionary(Dests=pdf.make_indirect(Dictionary(Names=names))))

    # The outline: the front's, then one bookmark per heading, nested by level.
    with pdf.open_outline() as merged, front_pdf.open_outline() as front_outline:

        def copy(items):
            copies = []
            for item in items:
                destination = item.destination
                if destination is None and item.action is not None and "/D" in item.action:
                    destination = item.action.D
                new = OutlineItem(
                    str(item.title),
                    copy_from(front_pdf, destination),
                )
                new.children.extend(copy(item.children))
                copies.append(new)
            return copies

        merged.root.extend(copy(front_outline.root))
        parents: dict[int, OutlineItem] = {}
        for level, title, anchor in outline:
            target = destinations.get(anchor)
            if target is None:
                continue
            page, x, y = target
            item = OutlineItem(title, Array([pages[page].obj, Name.XYZ, x, y, 0]))
            parent = next((parents[lv] for lv in range(level - 1, 0, -1) if lv in parents), None)
            (parent.children if parent is not None else merged.root).append(item)
            parents[level] = item
            for deeper in [lv for lv in parents if lv > level]:
                del parents[deeper]

    # Page numbers: each overlay page as a Form XObject drawn over its page, as an artifact.
    overlays = [Pdf.open(io.BytesIO(data)) for data in numbers]
    open_stream = pdf.make_stream(b"q\n")
    draw = pdf.make_stream(b"\nQ\n/Artifact BMC q /InkluderaPageNumber Do Q EMC\n")
    overlay_pages = [page for overlay in overlays for page in overlay.pages]
    for page, overlay in zip(pdf.pages, overlay_pages, strict=True):
        form = pdf.copy_foreign(overlay.as_form_xobject())
        # The parts' pages share one resource dictionary: each page gets its own (shallow) copy.
        resources = Dictionary(dict(page.Resources.items()))
        xobjects = Dictionary(dict(resources.XObject.items())) if "/XObject" in resources else Dictionary()
        xobjects.InkluderaPageNumber = form
        resources.XObject = xobjects
        page.Resources = resources
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, Array) else ([contents] if contents is not None else [])
        page.Contents = Array([open_stream, *streams, draw])

    out = io.BytesIO()
    # Object streams: most of the document is small objects (the tag tree); without them
    # the file is four times as large.
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return out.getvalue()
