"""The round-trip laws, checked by tests/test_properties.py on generated and mutated documents for
every ordered pair of extensions, and by the regression tests on the counterexamples they found.

Laws (A = source extension, B = target at a version drawn for each example; A = B included):
  1. translate raises nothing but TranslatorError subclasses, each with a message;
  2. the input is never mutated;
  3. with restore, A -> B -> A gives back exactly the original (key order included);
  4. without restore, every difference between the original and A -> B -> A lies at, above or
     below a loss pointer of the A -> B report, or at or above a finding's (below one only for
     the findings about a container's contents, CONTENT_FINDINGS); a difference reported only
     below it is split into parts, each reported or come back (a list's items in any order; a list
     with an item dropped whole is split so even when as long as before, its later items one place
     earlier) — except pure key order,
     stac_extensions (not itemised), link order (links compared as a multiset, reported ones aside), a Collection field read from a `properties`
     object and written back at the top level (where the extension's README puts it), and what the way back adds on its own account: values its
     own report lists by target pointer (a finding's target: that place only, unless a content
     finding; an empty summaries object it left out, by its summaries-emptied finding; a
     Collection field it wrote as a summary, by its to-summary finding, each part of it reported
     or there; an object it made only to hold such additions; what its report drops of a value
     the forward translation carried unchanged), and the extension's constant markers (ml-model:type);
  5. to the same extension and version: no losses, no problems, the same document;
  6. the same input gives byte-identical JSON;
  7. every output of a valid input (the schema-generated documents), at a target version drawn
     for each example, is valid against the target schema (official ml-model/MLM schemas, the project's dlm/tdml schemas) with fill_required;
     without it, each schema error lies at, above or below a pointer a problem names or a
     loss/finding target (the report says why);
  8. every dropped, lossy or unknown loss points at a place the source has, and gives the value
     the source has there.
  9. to another extension, a value reported dropped does not come back unchanged in the plain
     A -> B -> A, unless the way back's report has an assumed or synthesized entry for it or a
     finding that it derived the value from what was carried (DERIVED_FINDINGS), it is a constant
     marker, or an empty list or object (links aside: they have no identity to follow).
  10. every target a loss or finding names is a place the output has; a placeholder or an
     assumed value that did not come from the source is what the output holds there.
Laws 4 and 9 do not apply to a document with fields of several ML extensions or that also uses
the target one (the mutations graft fields of other extensions' examples): read as one of them by
precedence, the others' fields are carried over, and the way back reads those of its own
extension (and the supporting fields it interprets) as its own, so A -> B -> A is another
mixture. What the forward translation replaced of the target's fields is reported
(tests/test_engine.py).
"""
from __future__ import annotations

import copy
import json
from collections import Counter

from hypothesis import strategies as st

from conftest import schema_issues
from strategies import EXAMPLES
from translator import default_tables, detect, jsonio, translate
from translator.detect import _prefixes
from translator.errors import TranslatorError
from translator.pointer import covers, join
from translator.residue import diff, same

TARGETS = default_tables().names()    # every loaded table is a target
SOURCES = sorted(EXAMPLES)            # every extension: generated from its schema and mutated examples
# law 9: a value the way back computes from what was carried (DLM's class count from the
# classes): one dropped because it disagreed with them may come back equal to it by chance
DERIVED_FINDINGS = {"class-count"}
# law 4: findings about a change to the contents of the place they name; every other finding
# covers only its place and what lies above it (the way back's: its own target only)
CONTENT_FINDINGS = {"dimension-renamed",   # a dim_order list read with other names
                    "role-corrected",      # an MLM 1.0 roles list
                    "value-scaling",       # an input's legacy normalisation fields
                    "outside-vocabulary",  # a value its version does not list
                    "written-form",        # a DLM object written in the other version's form
                    "already-a-list",      # a list where one value was expected, read as the list itself
                    "unwrapped",           # a list of one written as its item
                    "raster-bands-completed"}  # an asset's raster:bands given what the data bands say
# laws 1-7 draw one of these per target for each example (DLM beta2 and beta.3, MLM 1.0.0-1.5.2)
TARGET_VERSIONS = {t: list(default_tables()[t].versions) for t in TARGETS}


def _links_agree(before, after, listed: list, added: list) -> bool:
    """Links compared in any order: every link the report does not cover comes back unchanged, and
    the way back has no more other links than the report covers (a reported link may come back
    changed and elsewhere, e.g. an image link written as a DLM docker image)."""
    if type(before) is not list or type(after) is not list:
        return False
    reported = {i for i in range(len(before))
                if any(covers(p, f"/links/{i}") or covers(f"/links/{i}", p) for p in listed if p)}
    rest = Counter(jsonio.dumps(l) for i, l in enumerate(before) if i not in reported)
    back = Counter(jsonio.dumps(l) for l in after)
    if rest - back:
        return False
    return sum((back - rest).values()) <= len(reported) + sum(1 for t in added if t.startswith("/links/"))


def _check_dropped_links(frozen: dict, plain: dict, report, back_report) -> None:
    """Law 9 for whole links, which come back in any order: a link the report drops comes back no
    more often than the source has it beside the copies that were not dropped (one may come back
    looking like another that was carried), unless the way back added links on its own account."""
    before, after = frozen.get("links"), plain.get("links")
    if type(before) is not list or type(after) is not list:
        return
    if any(l.target and l.target.startswith("/links") for l in back_report.losses):
        return
    dropped, partly = Counter(), set()
    for loss in report.losses:
        if loss.pointer.startswith("/links/") and loss.pointer.count("/") == 2 and loss.kind == "dropped":
            dropped[jsonio.dumps(_at(frozen, loss.pointer))] += 1
        elif loss.pointer.startswith("/links/") and loss.pointer.count("/") > 2:
            partly.add(loss.pointer.split("/")[2])  # a carried link that lost a part may look like another
    source, back = Counter(jsonio.dumps(l) for l in before), Counter(jsonio.dumps(l) for l in after)
    for link, times in dropped.items():
        assert back[link] <= source[link] - times + len(partly), ("a dropped link came back", link, report.losses)


def run_laws(doc: dict, target: str, version: str | None = None, **options) -> None:
    """The laws on one document, translated to *target* (at *version*, by default the latest;
    *options*: more arguments of the forward translation, e.g. keep_existing=True)."""
    frozen = copy.deepcopy(doc)
    try:
        result = translate(doc, to=target, version=version, **options)
    except TranslatorError as exc:
        assert str(exc), "errors carry a message"
        assert same(doc, frozen), "the input was mutated by a failed translation"
        return
    assert same(doc, frozen), "the input was mutated"
    report = result.report
    source = report.source[0]
    check_loss_values(frozen, report)
    check_targets(result.document, report)
    # 6. deterministic output
    again = translate(copy.deepcopy(frozen), to=target, version=version, **options)
    assert jsonio.dumps(again.document) == jsonio.dumps(result.document)
    # 3. exact restore
    back = translate(result.document, to=source, restore=report)
    assert same(back.document, frozen), diff(frozen, back.document)
    # 4. every difference is reported
    plain_result = translate(result.document, to=source, version=report.source[1], source=target)
    plain = plain_result.document
    listed = [l.pointer for l in report.losses] + [l.target for l in report.losses if l.target]
    # a finding covers its place and what lies above it; below it only when its code says the
    # contents changed (a loss covers its whole value)
    noted = [p for f in report.findings for p in (f.pointer, f.target) if p]
    contents = [p for f in report.findings if f.code in CONTENT_FINDINGS for p in (f.pointer, f.target) if p]
    # what the way back adds on its own account is in its report, as a target pointer
    back_report = plain_result.report
    back_losses = [l.target for l in back_report.losses if l.target]
    added = back_losses + [f.target for f in back_report.findings if f.target and f.code in CONTENT_FINDINGS]
    added_here = {f.target for f in back_report.findings if f.target}  # cover their own place only
    # what the way back itself dropped of a value the forward translation carried unchanged
    back_dropped = [l.pointer for l in back_report.losses if l.kind == "dropped" and l.pointer
                    and same(_at(result.document, l.pointer), _at(frozen, l.pointer))]
    # the way back leaves out a summaries object it emptied (its report says so, at that place)
    emptied = {f.pointer for f in back_report.findings if f.code == "summaries-emptied"}
    markers = {join(("properties",) if frozen.get("type") == "Feature" else ()) + "/" + r.field
               for r in default_tables()[source].consts}
    # a document with fields of several ML extensions, or that also uses the target one: the way
    # back reads what the forward translation carried as foreign as its own, so A -> B -> A is
    # another mixture; laws 4 and 9 do not apply to it (what the forward translation replaced of
    # the target's fields is reported: test_engine), laws 3, 8 and 10 do
    mixed = target != source and (target in detect(frozen).others
                                  or len(_prefixes(frozen, default_tables().prefixes)[0]) > 1)
    # 9. a value reported dropped does not come back by itself: unless the way back guessed it (an
    # assumed or synthesized entry of its report, by target), it is a constant marker, or it is empty
    if target != source and not mixed:
        _check_dropped_links(frozen, plain, report, back_report)
        for loss in report.losses:
            if loss.kind == "dropped" and loss.pointer and loss.pointer not in markers:
                if loss.pointer.startswith("/links/"):
                    continue  # links come back in another order: counted by _check_dropped_links
                value = _at(frozen, loss.pointer)
                if value not in ([], {}) and same(value, _at(plain, loss.pointer)):
                    assert any(covers(l.target, loss.pointer) for l in back_report.losses
                               if l.target and l.kind in ("assumed", "synthesized")) or any(
                        f.target == loss.pointer for f in back_report.findings if f.code in DERIVED_FINDINGS), \
                        ("over-reported", loss)
    links_agree = _links_agree(frozen.get("links"), plain.get("links"), listed + noted,
                               back_losses + sorted(added_here))
    # a Collection field the report says was written as a summary may come back as that summary
    summarised = {"/summaries/" + f.pointer.rsplit("/", 1)[-1] for f in report.findings if f.code == "to-summary"}
    # and a summary it says was written as a field (DLM's) may come back as that Collection field
    fielded = {"/" + f.pointer.split("/")[2] for f in report.findings if f.code == "summary-to-field"}
    # a Collection field the way back wrote as a summary on its own account (ml-model keeps
    # Collection fields in summaries: its to-summary finding) comes back there with its value
    moved_back = {"/" + f.target.split("/")[2] for f in back_report.findings
                  if f.code == "to-summary" and (f.target or "").count("/") == 2 and f.target.startswith("/summaries/")}
    # a list with an item the report drops whole is compared as a whole: its later items come back
    # one place earlier, so place by place each would meet its neighbour
    dropped = _dropped_items(frozen, report)
    for patch in _lists_as_wholes(diff(frozen, plain), dropped, frozen) if not mixed else ():
        where = patch["pointer"]
        if patch["op"] == "order" or where.startswith("/stac_extensions"):
            continue
        if patch["op"] == "remove" and where.count("/") == 1 and "/properties" + where in listed + noted:
            continue  # a Collection field read from a properties object comes back at the top level
        if links_agree and where.startswith("/links"):
            continue  # the same links in another order, reported ones aside (one moved and back comes last)
        if (patch["op"] == "remove" and where in markers) or where in added_here or any(covers(t, where) for t in added):
            continue
        if patch["op"] == "remove" and any(covers(s, where) for s in summarised | fielded):
            continue
        if patch["op"] == "set" and any(covers(p, where) for p in back_dropped):
            continue
        made = _at(plain, where)  # an object the way back made only to hold what it added (summaries)
        if patch["op"] == "remove" and type(made) is dict and made and _at(frozen, where) is _GONE and all(
                where + "/" + k.replace("~", "~0").replace("/", "~1") in added_here for k in made):
            continue
        if patch["op"] == "set" and where in moved_back:
            moved = _at(plain, "/summaries" + where)  # a one-value summary, or a list field's summary
            moved = moved[0] if type(moved) is list and len(moved) == 1 and type(patch["value"]) is not list else moved
            if _parts_kept(patch["value"], moved, where, [p for p in listed + noted if p], dropped):
                continue
        if patch["op"] == "set" and where in emptied and patch["value"] == {}:
            continue  # an empty summaries object the way back left out, as its report says
        if patch["op"] == "set" and not any(covers(p, where) for p in listed + noted + contents if p):
            # reported only below the difference: each part of the original is reported or comes back
            assert _parts_kept(patch["value"], _at(plain, where), where, [p for p in listed + noted if p], dropped), \
                (where, patch, listed, noted)
            continue
        assert any(covers(p, where) or covers(where, p) for p in listed if p) \
            or any(covers(where, p) for p in noted) or any(covers(p, where) for p in contents), \
            (where, patch, listed, noted)
    assert same(doc, frozen)


_GONE = object()


def check_loss_values(source: dict, report) -> None:
    """8. a value the translation loses is reported at its place in the source, with the value the
    source has there (assumed and synthesized entries, and findings, may name the place of a
    value the source lacks)."""
    for loss in report.losses:
        if loss.kind in ("dropped", "lossy", "unknown") and loss.pointer:
            assert same(_at(source, loss.pointer), loss.value), (loss.pointer, loss, _at(source, loss.pointer))


def check_targets(output: dict, report) -> None:
    """10. a target names a place of the output; what did not come from the source (no pointer)
    and was placed there as a placeholder or a guess is what the output holds there."""
    for entry in report.losses + report.findings:
        if entry.target:
            placed = _at(output, entry.target)
            assert placed is not _GONE, ("target not in the output", entry)
            if getattr(entry, "kind", None) in ("assumed", "synthesized") and not entry.pointer:
                assert same(placed, entry.value), ("target holds another value", entry, placed)


def _at(doc, pointer: str):
    node = doc
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if type(node) is dict and token in node:
            node = node[token]
        elif type(node) is list and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _GONE
    return node


def _canonical(value) -> str:
    """A value's JSON with sorted keys: key order is not a loss (law 4)."""
    return json.dumps(value, sort_keys=True, default=repr)


def _dropped_items(source: dict, report) -> set:
    """The pointers of the source's list items that the report drops whole."""
    return {l.pointer for l in report.losses if l.kind == "dropped" and l.pointer.rsplit("/", 1)[-1].isdigit()
            and type(_at(source, l.pointer.rsplit("/", 1)[0])) is list}


def _lists_as_wholes(patches: list, items: set, source: dict) -> list:
    """*patches*, those at or below a list holding one of *items* replaced by one patch that sets
    the list as a whole (the outermost such list)."""
    lists = sorted({i.rsplit("/", 1)[0] for i in items}, key=len)
    out, done = [], set()
    for patch in patches:
        outer = next((l for l in lists if covers(l, patch["pointer"])), None)
        if outer is None:
            out.append(patch)
        elif outer not in done:
            done.add(outer)
            out.append({"op": "set", "pointer": outer, "value": _at(source, outer)})
    return out


def _parts_kept(original, produced, pointer: str, reported: list, dropped: set = frozenset()) -> bool:
    """Every part of *original* (at *pointer*) is reported (a pointer at or above it) or comes back
    in *produced*; a list's unreported items may come back at other positions, and an item with
    reported parts is compared with the item at its place less the *dropped* items before it."""
    if any(covers(p, pointer) for p in reported):
        return True
    if produced is not _GONE and same(original, produced):
        return True
    if type(original) is dict and original:
        inner = produced if type(produced) is dict else {}
        return all(_parts_kept(v, inner.get(k, _GONE), pointer + "/" + k.replace("~", "~0").replace("/", "~1"),
                               reported, dropped) for k, v in original.items())
    if type(original) is list and original:
        back = Counter(_canonical(v) for v in produced) if type(produced) is list else Counter()
        gone = 0  # items dropped whole before this one, which comes back that many places earlier
        for i, item in enumerate(original):
            here = f"{pointer}/{i}"
            if here in dropped:
                gone += 1
            elif any(covers(here, p) for p in reported):  # its parts: reported, or back at its place
                at = i - gone
                if not _parts_kept(item, produced[at] if type(produced) is list and at < len(produced) else _GONE,
                                   here, reported, dropped):
                    return False
            elif back[_canonical(item)] > 0:
                back[_canonical(item)] -= 1
            else:
                return False
        return True
    return False


def check_every_law(doc: dict, versions: dict[str, str] | None = None) -> None:
    """Every law, for every target (at its version in *versions*, default the newest), on one
    document; a failure names the target and its version."""
    for target in TARGETS:
        version = (versions or {}).get(target)
        try:
            run_laws(doc, target, version)
        except AssertionError as exc:
            exc.add_note(f"target: {target} {version or default_tables()[target].default_version}")
            raise
    check_identity(doc)


def check_identity(doc: dict) -> None:
    """5. to the same extension and version, read as that extension: no losses and the same document."""
    frozen = copy.deepcopy(doc)
    try:
        first = translate(doc, to=TARGETS[0])  # settles the extension and version the document is read as
    except TranslatorError:
        return  # law 1 is checked by run_laws
    ext, version = first.report.source
    # (read as that extension: a half-migrated document translated to its own extension would
    # be read as the other one, to migrate it)
    result = translate(doc, to=ext, version=version, prefer=ext)
    assert result.report.losses == [], ("identity", result.report.losses)
    if any(f.code == "version-by-fields" or f.pointer == "/stac_extensions" for f in result.report.findings):
        # the declared URIs are missing or name another version than the fields (the report says
        # so): only the URIs may change
        assert same({**result.document, "stac_extensions": None}, {**frozen, "stac_extensions": None})
    else:
        assert same(result.document, frozen), ("identity", diff(frozen, result.document))


def _where(issue) -> str:
    """The pointer of an error; a missing required property is placed where it would be."""
    if issue.message.endswith(" is a required property") and issue.message.startswith('"'):
        return issue.pointer + "/" + issue.message.split('"')[1].replace("~", "~0").replace("/", "~1")
    return issue.pointer


def check_valid_outputs(doc: dict, versions: dict[str, str] | None = None) -> None:
    """7. valid with fill_required; without it, every schema error is explained by the report.
    *versions*: the target version per extension (default: the newest)."""
    for target in TARGETS:
        version = (versions or {}).get(target)
        filled = translate(doc, to=target, version=version, fill_required=True)
        assert schema_issues(filled.document) == [], (target, version, "fill_required",
                                                      schema_issues(filled.document))
        result = translate(doc, to=target, version=version)
        check_loss_values(doc, filled.report)
        check_loss_values(doc, result.report)
        check_targets(filled.document, filled.report)
        check_targets(result.document, result.report)
        said = [w.rstrip(":;,.)") for p in result.report.problems for w in p.split() if w.startswith("/")]
        said += [x.target for x in result.report.losses + result.report.findings if x.target]
        for issue in schema_issues(result.document):
            where = _where(issue)
            assert any(covers(p, where) or covers(where, p) for p in said if p.startswith("/")), \
                (target, issue, result.report.problems)


def draw_versions(data) -> dict[str, str]:
    """A target version per extension, so that every version of every target is exercised."""
    return {t: data.draw(st.sampled_from(TARGET_VERSIONS[t]), label=f"{t} version") for t in TARGETS}
