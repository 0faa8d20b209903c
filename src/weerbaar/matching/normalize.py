"""Dutch normalisation: one import for every caller (entities, keys, comparisons, linker).

The rules live in small modules per subject (``names``, ``company``, ``address``, ``text``);
``docs/matching.md`` lists them.
"""

from .address import (
    HouseNumber,
    normalize_house_number,
    normalize_licence_plate,
    normalize_plate,
    normalize_postcode,
    normalize_street,
    parse_date,
)
from .company import CompanyName, canonical_legal_form, normalize_company_name
from .names import (
    PersonName,
    normalize_person_name,
    normalize_prefix,
    prefix_key,
    split_first_names,
    split_person_name,
    split_surname,
)
from .text import compact, fold, skeleton

__all__ = [
    "CompanyName",
    "HouseNumber",
    "PersonName",
    "canonical_legal_form",
    "compact",
    "fold",
    "normalize_company_name",
    "normalize_house_number",
    "normalize_licence_plate",
    "normalize_person_name",
    "normalize_plate",
    "normalize_postcode",
    "normalize_prefix",
    "normalize_street",
    "parse_date",
    "prefix_key",
    "skeleton",
    "split_first_names",
    "split_person_name",
    "split_surname",
]
