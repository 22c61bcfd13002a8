"""The training-data bridge: connect a model document to the datasets it was trained on.

``translate(model, to=..., training_data=[dataset, ...])`` reads each dataset with its own
table, adds a training-data link to the model's pivot (written by each target in its own form:
``derived_from`` with ``ml-aoi:split`` for MLM, ``ml-model:train-data``/``test-data`` for
ml-model; DLM has none, which the report says), and fills the model's tasks and the classes of
its output from the dataset when the model has none, each reported as ``assumed``.
"""
from __future__ import annotations

from typing import Any

from .detect import detect, type_words
from .errors import DocumentError, NoExtensionError, TranslatorError
from .reader import read
from .report import Report
from .tables import Tables

SPLITS = {"train": "data:train", "training": "data:train", "validate": "data:validate",
          "validation": "data:validate", "test": "data:test", "testing": "data:test"}


def _href(dataset: dict, given: str | None) -> str | None:
    links = dataset.get("links")
    for link in links if type(links) is list else ():
        if type(link) is dict and link.get("rel") == "self" and type(link.get("href")) is str:
            return link["href"]
    return given


def _split(dataset: dict) -> str:
    props = dataset.get("properties") if type(dataset.get("properties")) is dict else {}
    value = props.get("ml-aoi:split", dataset.get("ml-aoi:split"))
    return SPLITS.get(value, "data:train") if type(value) is str else "data:train"


def check_training_data(datasets: list[Any], tables: Tables) -> list[tuple[dict, str, Any]]:
    """(dataset, href, detection) of each dataset (a dict, or a (dict, href) pair); a
    DocumentError naming the dataset (its href, else its position) when one cannot be used."""
    checked = []
    for i, entry in enumerate(datasets):
        dataset, given = entry if type(entry) is tuple else (entry, None)
        name = f"training data {given}" if given else f"training data #{i + 1}"
        if type(dataset) is not dict:
            raise DocumentError(f"{name} is not a STAC document (its top level is not an object)")
        if dataset.get("type") not in ("Feature", "Collection"):
            raise DocumentError(f"{name} is not a STAC Item or Collection ({type_words(dataset)})")
        try:
            found = detect(dataset, tables)
        except NoExtensionError:
            found = None  # a plain STAC dataset: linked, nothing more read from it
        except TranslatorError as exc:
            raise DocumentError(f"{name}: {exc.message}") from None
        href = _href(dataset, given)
        if href is None:
            raise DocumentError(f"{name} ({dataset.get('id', 'no id')}) has no self link; "
                                "give its location (the CLI passes the file path)")
        checked.append((dataset, href, found))
    return checked


def attach_training_data(pivot, datasets: list[Any], report: Report, tables: Tables) -> None:
    """Add links (and missing tasks) to *pivot* from each dataset: a dict, or a (dict, href) pair."""
    for dataset, href, found in check_training_data(datasets, tables):
        kind = _split(dataset)
        body = {"href": href, "type": "application/json"}
        if type(dataset.get("title")) is str:
            body["title"] = dataset["title"]
        pivot.links.append([kind, body, "", None])
        pivot.notes["links_read"] = True
        report.finding("", "training-data", f"training data {href} read as a {kind} link (a target "
                       "with no such link reports it dropped)", "bridge", "/links")
        if found is None:
            continue  # no ML extension: no tasks or classes to take from it
        data_pivot = read(dataset, tables[found.extension], found.version, Report(("", ""), ("", "")))
        tasks = data_pivot.fields.get("tasks")
        if not tasks and type(data_pivot.summaries.get("tasks")) is list:  # a Collection may summarise them
            tasks = data_pivot.summaries["tasks"]
        if tasks and not pivot.fields.get("tasks"):
            pivot.fields["tasks"] = list(tasks)
            pivot.origin["tasks"] = ""
            report.loss("", "assumed", list(tasks), f"the model's tasks taken from its training data {href}",
                        "bridge")
        _fill_classes(pivot, data_pivot, href, report)


def _classes(output: Any) -> list | None:
    found = output.get("classification:classes") if type(output) is dict else None
    return found if type(found) is list and found else None


def _fill_classes(pivot, data_pivot, href: str, report: Report) -> None:
    """The dataset's classes for a model output that lists none (the only output, or a new one)."""
    given = [o for o in data_pivot.fields.get("output") or () if _classes(o)]
    if len(given) != 1:
        return  # no classes, or several groups: which output each belongs to is unknown
    classes = [dict(c) for c in _classes(given[0])]
    outputs = pivot.fields.get("output")
    if outputs is None:
        output = {k: v for k, v in given[0].items() if k != "classification:classes"}
        if pivot.fields.get("tasks"):
            output["tasks"] = list(pivot.fields["tasks"])
        output["classification:classes"] = classes
        pivot.fields["output"] = [output]
        pivot.origin["output"] = ""
        report.loss("", "assumed", [output], f"the model's output (its classes; the result is assumed) taken "
                    f"from its training data {href}", "bridge")
    elif type(outputs) is list and len(outputs) == 1 and type(outputs[0]) is dict and not _classes(outputs[0]) \
            and not outputs[0].get("classification_classes"):
        pivot.fields["output"] = [{**outputs[0], "classification:classes": classes}]
        report.loss("", "assumed", classes, f"the classes of the model's output taken from its training data {href}",
                    "bridge")
