"""STAC-ML Translator: translate STAC metadata between the dlm, ml-model, tdml and mlm
extensions, and report exactly what could not be carried over.

    from translator import translate, detect
    result = translate(doc, to="mlm")
    result.document, result.report.losses
"""
from .api import Result, detect, translate
from .errors import (DocumentError, MappingError, NoExtensionError, TranslatorError,
                     UnsupportedTarget)
from .report import Finding, Loss, Report
from .tables import default_tables, load_tables

__all__ = ["translate", "detect", "Result", "Report", "Loss", "Finding", "default_tables", "load_tables",
           "TranslatorError", "DocumentError", "MappingError", "NoExtensionError", "UnsupportedTarget"]
__version__ = "0.1.0"
