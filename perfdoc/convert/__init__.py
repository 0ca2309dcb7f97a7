"""Converting built documents: Word → PDF through LibreOffice (a step after writing, not a renderer)."""

from .libreoffice import ConvertError, ConvertResult, convert_to_pdf, find_soffice

__all__ = ["ConvertError", "ConvertResult", "convert_to_pdf", "find_soffice"]
