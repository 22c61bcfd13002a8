"""DLM transform ``dlm-data-bands``: the data type, nodata value and band count of ``dlm:data`` <->
the pivot's ``data_bands`` (raster extension Band objects; MLM writes them as raster:bands of the
model asset, data_bands.py).

Reading: one Band per band of the source data, each with the data type (numpy names normalised to
raster's: ``short`` -> ``int16``; a name with no raster type, or an ambiguous one such as ``byte``,
int8 in numpy and uint8 in GDAL, stays reported) and the nodata value. How many: ``number_of_bands``;
without it the input's bands (their names as dlm-bands resolved them), else its channels. Names:
the input's band names when the bands are the input's; with ``number_of_bands``, the useful_bands
names when their indices number exactly those bands (0..n-1 or 1..n), or the Item's eo:bands names
when dlm-bands resolved selected_bands through them (taking them for the source data's bands);
otherwise nothing is guessed.
Nothing is read unless a data type or nodata value is: ``number_of_bands`` alone, ``test_file``
and the rest stay in dlm:data, for the ``data`` drop rule.

Writing DLM from another extension: ``data_type`` and ``nodata`` when every band agrees (else
lossy), ``number_of_bands`` = the number of bands. DLM to DLM writes dlm:data as it was read.
"""
from __future__ import annotations

from ..pointer import join
from . import structural
from .data_bands import PARTS, PIVOT, back_at_origin, report_unplaced
from .dlm_data import take_from_data
from .dlm_runtime import fields_of, pointer_at

# what the writer writes, in beta.3 spelling (a beta2 target renames data_type and nodata later)
WRITE_KEYS = {"data_type": "data_type", "nodata": "nodata", "count": "number_of_bands"}
READ_KEYS = {"data_type": ("data_type", "dtype"), "nodata": ("nodata", "nodata_value"), "count": ("number_of_bands",)}

_FIXED = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64")
# numpy names (DLM's schema says the data type is one) -> raster's data types
RASTER_TYPES = {**{t: t for t in _FIXED}, "ubyte": "uint8", "short": "int16", "ushort": "uint16", "intc": "int32",
                "uintc": "uint32", "longlong": "int64", "ulonglong": "uint64", "half": "float16",
                "single": "float32", "double": "float64", "float_": "float64"}
AMBIGUOUS = {"byte": "'byte' is int8 in numpy and uint8 (Byte) in GDAL",
             "int_": "the width of numpy's 'int_' depends on the platform",
             "uint": "the width of numpy's 'uint' depends on the platform"}
MAX_BANDS = 10_000  # hyperspectral data has hundreds; a larger count is not spelt out band by band
DLM_TYPES = set(_FIXED)  # raster types DLM's schema also lists (cint16, ..., other are not)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@structural("dlm-data-bands", lossy="an unknown data type is not carried; bands that disagree are not written")
class DataBands:
    @staticmethod
    def read(ctx, rule) -> None:
        props, where = fields_of(ctx)
        data = props.get("dlm:data") if props is not None else None
        if type(data) is not dict:
            return
        path = where + ("dlm:data",)
        found = {name: next((k for k in keys if k in data), None) for name, keys in READ_KEYS.items()}
        band, parts = {}, []
        key = found["data_type"]
        if key is not None and type(data[key]) is str:
            value = data[key]
            raster = RASTER_TYPES.get(value)
            if raster is None:
                take_from_data(ctx, props, key)
                ctx.extra(path + (key,), value, "dropped", AMBIGUOUS.get(value, f"'{value}' has no raster data "
                          "type") + ": the data type is not carried", rule.id)
            else:
                band["data_type"] = raster
                parts.append((path + (key,), value))
                if raster != value:
                    ctx.report.finding(join(path + (key,)), "normalised",
                                       f"'{value}' read as raster's '{raster}'", rule.id)
        key = found["nodata"]
        nodata = data[key] if key is not None else None
        per_band = type(nodata) is list and bool(nodata) and all(_number(v) for v in nodata)  # real files do
        if _number(nodata) or per_band:
            parts.append((path + (key,), nodata))
        if _number(nodata):
            band["nodata"] = nodata
        if not band and not per_band:
            return  # nothing a Band would hold: dlm:data is reported as it is
        count, names = _count_and_names(ctx, props, data, found["count"])
        if per_band and count is None and found["count"] is None:
            count = (len(nodata), None)
        if count is None or (per_band and count[0] != len(nodata)):
            return  # how many bands is not said, or the nodata values do not say it either
        if count[0] > MAX_BANDS:
            return  # not described one by one: reported with the rest of dlm:data
        if count[1] is not None:
            parts.append((path + (count[1],), count[0]))
        elif names is None:
            ctx.report.finding(join(path), "band-count-assumed", f"no number_of_bands: {count[0]} bands, "
                               "one per channel of the input", rule.id)
        for read_at, _ in parts:
            key = read_at[-1]
            if key in ("dtype", "nodata_value"):
                ctx.report.finding(join(read_at), "variant", "the beta2 spelling, read as "
                                   f"{'data_type' if key == 'dtype' else 'nodata'}", rule.id)
            take_from_data(ctx, props, key)
        ctx.pivot.fields[PIVOT] = [{**({"name": names[i]} if names else {}), **band,
                                    **({"nodata": nodata[i]} if per_band else {})} for i in range(count[0])]
        ctx.pivot.origin[PIVOT] = path
        ctx.pivot.notes[PARTS] = parts

    @staticmethod
    def write(ctx, rule) -> None:
        bands = ctx.pivot.fields.pop(PIVOT, None)
        origin = ctx.pivot.origin.pop(PIVOT, "")
        if bands is None or ctx.pivot.source[0] == ctx.table.name:
            return  # DLM to DLM: dlm:data is written as it was read
        on_asset = back_at_origin(ctx, bands, origin)
        if type(bands) is not list or not bands or not all(type(b) is dict for b in bands):
            if not on_asset:  # else they stay where they were
                report_unplaced(ctx, rule, bands, origin, "not a list of band objects")
            return
        written = {}
        for name in ("data_type", "nodata"):
            values = [b.get(name) for b in bands]
            if all(v is None for v in values):
                continue
            first = values[0]
            if any(v is None or type(v) is not type(first) or v != first for v in values):
                why = f"DLM gives one {WRITE_KEYS[name]} for all bands; the bands do not agree (not written)"
            elif name == "data_type" and first not in DLM_TYPES:
                why = f"'{first}' is not a DLM data type"
            elif name == "nodata" and not _number(first):
                why = "DLM's nodata is a number"
            else:
                written[name] = first
                continue
            for i, value in enumerate(values):  # each band's value, at its place (kept on the asset if it is)
                if value is not None and not on_asset:
                    ctx.lost_part(origin, (i, name), "dropped", value, why, rule.id)
        written["count"] = len(bands)
        rest = sorted({k for b in bands for k in b} - {"data_type", "nodata"})
        if rest and not on_asset:
            ctx.lost_part(origin, (), "lossy", bands, "DLM keeps the data type, nodata and number of the bands; "
                     f"{', '.join(rest)} not carried", rule.id)
        pointer = join(origin) if type(origin) is tuple else origin
        for name, value in written.items():
            key = WRITE_KEYS[name]
            ctx.set(ctx.container, ("dlm:data", key), value)
            ctx.report.finding(pointer, "to-dlm-data", f"the bands of the input data: written as dlm:data.{key}",
                               rule.id, pointer_at(ctx, ("dlm:data", key)))

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        return [("fields", PIVOT, "dlm:data/data_type (dtype), nodata (nodata_value), number_of_bands")]


def _count_and_names(ctx, props: dict, data: dict, count_key: str | None) -> tuple:
    """((number of bands, the key it was read from or None), band names or None)."""
    original = ctx.pivot.notes.get("dlm:data", data)  # dlm-bands may have taken useful_bands already
    count = data.get(count_key) if count_key else None
    if type(count) is int and not isinstance(count, bool) and count >= 1:
        source = ctx.pivot.notes.get("dlm:source-bands")  # eo:bands taken as the source data's (dlm-bands)
        return (count, count_key), _indexed_names(original.get("useful_bands"), count) or (
            list(source) if source and len(source) == count else None)
    names = ctx.pivot.notes.get("dlm:bands")  # the input's bands, in the input's order
    if names:
        return (len(names), None), list(names)
    inputs = props.get("dlm:inputs")
    tensors = inputs.get("input_tensors") if type(inputs) is dict else None
    tensors = tensors[0] if type(tensors) is list and tensors else tensors
    dim = tensors.get("dim", tensors.get("channels")) if type(tensors) is dict else None
    if type(dim) is int and not isinstance(dim, bool) and dim >= 1:
        return (dim, None), None
    return None, None


def _indexed_names(useful, count: int) -> list | None:
    """Names of the *count* bands when the useful_bands indices number exactly them, from 0 or from 1."""
    if type(useful) is not list or len(useful) != count or not all(
            type(b) is dict and type(b.get("index")) is int and type(b.get("name")) is str and b["name"]
            for b in useful):
        return None
    indices = {b["index"] for b in useful}
    for first in (0, 1):
        if indices == set(range(first, first + count)):
            names = [""] * count
            for b in useful:
                names[b["index"] - first] = b["name"]
            return names
    return None
