"""The registry of named transforms that mapping tables may call.

Tables are data: they can only *name* a transform registered here, never carry code.
Two sorts exist:

* value transforms, used by ``move``/``wrap`` rules: ``forward`` (source -> pivot) and
  ``inverse`` (pivot -> source); a transform without an inverse must be marked lossy;
* structural transforms, used by ``transform`` rules: ``read(ctx, rule)`` fills the pivot
  from the source, ``write(ctx, rule)`` fills the output from the pivot.

Third-party packages add transforms through the ``stacml.transforms`` entry-point group:
each entry point names a module that registers its transforms on import.
"""
from __future__ import annotations

import importlib
import threading
from typing import Any, Callable

_VALUE: dict[str, "ValueTransform"] = {}
_STRUCTURAL: dict[str, "StructuralTransform"] = {}
_BUILTIN = ("translator.transforms.common", "translator.transforms.data_bands", "translator.transforms.mlm", "translator.transforms.dlm", "translator.transforms.dlm_normalise", "translator.transforms.dlm_runtime", "translator.transforms.dlm_archive", "translator.transforms.dlm_data", "translator.transforms.dlm_level", "translator.transforms.dlm_raster", "translator.transforms.dlm_versions", "translator.transforms.mlm_legacy",
            "translator.transforms.mlm_scaling", "translator.transforms.mlm_dims", "translator.transforms.mlm_versions",
            "translator.transforms.mlm_checked",
            "translator.transforms.tdml", "translator.transforms.tdml_variants")
_loaded = False
_loading = False
_LOCK = threading.RLock()


class ValueTransform:
    __slots__ = ("name", "forward", "inverse", "lossy")

    def __init__(self, name: str, forward: Callable, inverse: Callable | None, lossy: str | None):
        self.name, self.forward, self.inverse, self.lossy = name, forward, inverse, lossy

    @property
    def reversible(self) -> bool:
        return self.inverse is not None and not self.lossy


class StructuralTransform:
    __slots__ = ("name", "read", "write", "lossy", "detect", "describe", "check", "finish", "fills", "options",
                 "compile_options", "_validator")

    def __init__(self, name: str, read: Callable | None, write: Callable | None, lossy: str | None,
                 detect: Callable | None = None, describe: Callable | None = None):
        self.name, self.read, self.write, self.lossy = name, read, write, lossy
        self.detect = detect  # optional: tells the source version from the fields (see detect.py)
        self.describe = describe  # optional: what pivot names a rule writes, for the crosswalk
        self.check = None         # optional: runs once the fields are written, before required ones are filled
        self.finish = None        # optional: runs once the output is complete
        self.fills = None         # optional: fills(rule, table) -> target fields a caller may give (fill_values)
        self.options = options_schema()  # the JSON Schema of the rule options it takes, checked at load
        self.compile_options = None  # optional: compile_options(options) -> what the rule keeps (at load)
        self._validator = None

    @property
    def reversible(self) -> bool:
        return self.read is not None and self.write is not None and not self.lossy

    def options_validator(self):
        """A validator of the options this transform declares."""
        if self._validator is None:
            import jsonschema
            self._validator = jsonschema.Draft7Validator(self.options)
        return self._validator


def options_schema(required: tuple = (), **properties: dict) -> dict:
    """The JSON Schema of an options object holding these properties and no others."""
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


STRING = {"type": "string", "minLength": 1}
STRINGS = {"type": "array", "items": STRING}


def value_transform(name: str, *, inverse: Callable[[Any], Any] | None = None, lossy: str | None = None):
    """Register ``fn`` as the forward direction of value transform *name*."""
    def register(fn: Callable[[Any], Any]):
        _VALUE[name] = ValueTransform(name, fn, inverse, lossy)
        return fn
    return register


def structural(name: str, *, lossy: str | None = None, options: dict | None = None):
    """Register a class with ``read(ctx, rule)`` and/or ``write(ctx, rule)`` static methods
    (and optionally ``detect(doc, version, declared)``, ``describe(rule)``, ``check(ctx, rule)``, ``finish(ctx, rule)`` and
    ``fills(rule, table)``). *options*: a JSON Schema of the rule options the transform takes
    (:func:`options_schema`); without one it takes none. A table whose rule gives options the
    transform does not take is refused at load, naming the file and the rule, so that a misspelt
    option is never ignored. A static ``compile_options(options)`` turns a rule's valid options
    into what the transform reads, once when the table loads (``rule.compiled_options``)."""
    def register(cls):
        _STRUCTURAL[name] = StructuralTransform(
            name, getattr(cls, "read", None), getattr(cls, "write", None), lossy, getattr(cls, "detect", None),
            getattr(cls, "describe", None))
        _STRUCTURAL[name].check = getattr(cls, "check", None)
        _STRUCTURAL[name].finish = getattr(cls, "finish", None)
        _STRUCTURAL[name].fills = getattr(cls, "fills", None)
        _STRUCTURAL[name].compile_options = getattr(cls, "compile_options", None)
        if options is not None:
            _STRUCTURAL[name].options = options
        return cls
    return register


def _load() -> None:
    """Import every module that registers transforms, once. Threads that translate at the same
    time wait here until the registry is complete (a lookup must never see half of it)."""
    global _loaded, _loading
    if _loaded:
        return
    with _LOCK:
        if _loaded or _loading:  # _loading: a module being imported looked a transform up
            return
        _loading = True
        try:
            for module in _BUILTIN:
                importlib.import_module(module)
            try:
                from importlib.metadata import entry_points
                for ep in entry_points(group="stacml.transforms"):
                    ep.load()
            except Exception as exc:  # a broken plugin must not take the tool down
                import warnings
                warnings.warn(f"stacml: could not load transform plugins: {exc}")
            _loaded = True
        finally:
            _loading = False


def get_value(name: str) -> ValueTransform | None:
    _load()
    return _VALUE.get(name)


def get_structural(name: str) -> StructuralTransform | None:
    _load()
    return _STRUCTURAL.get(name)


def names() -> dict[str, list[str]]:
    _load()
    return {"value": sorted(_VALUE), "structural": sorted(_STRUCTURAL)}
