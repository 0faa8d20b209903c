"""The anchor of the matching benchmark: splink 5 (DuckDB backend) on the same data.

Configured as splink's own FEBRL examples do (docs/demos/examples/duckdb/febrl3 and febrl4:
the same comparisons, blocking rules, u by random sampling, m by EM on two rules); for the
Dutch persons the same kind of model with blocking comparable to ours. Light cleaning only
(lower case, trimmed, particle + surname in one column): the Dutch normalisation is what
``weerbaar.matching`` adds, so splink does not get it. Run by ``matching_quality.py`` in a
process of its own so that its peak memory is measured apart.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

import duckdb
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.9


def _febrl_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index().astype(str).replace({"nan": None})
    for column in out.columns:
        out[column] = out[column].str.strip()
    return out


def _febrl_settings(link_type: Literal["link_only", "dedupe_only"]) -> SettingsCreator:
    rules: list[Any]
    if link_type == "link_only":
        rules = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
    else:
        rules = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
    )


def _train(
    linker: Linker,
    deterministic: list[Any],
    em_rules: list[Any],
    recall: float,
    u_pairs: float = 1e6,
) -> None:
    """splink's examples: deterministic rules for the prior, u by sampling, m by EM."""
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )


def link_febrl4(left: pd.DataFrame, right: pd.DataFrame) -> set[tuple[str, str]]:
    """Predicted (left, right) pairs at the threshold."""
    db_api = DuckDBAPI()
    frames = [db_api.register(_febrl_frame(f)) for f in (left, right)]
    linker = Linker(frames, _febrl_settings("link_only"), log_level=logging.WARNING)
    deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
    _train(linker, deterministic, [block_on("date_of_birth"), block_on("postcode")], 0.8)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    rows = predictions.as_pandas_dataframe()
    left_ids = set(left.index)
    return {
        (a, b) if a in left_ids else (b, a)
        for a, b in zip(rows["rec_id_l"], rows["rec_id_r"], strict=True)
    }


def dedupe_febrl3(frame: pd.DataFrame) -> dict[str, str]:
    db_api = DuckDBAPI()
    table = db_api.register(_febrl_frame(frame))
    linker = Linker(table, _febrl_settings("dedupe_only"), log_level=logging.WARNING)
    deterministic = [
        block_on("soc_sec_id"),
        block_on("given_name", "surname", "date_of_birth"),
        "l.given_name = r.surname and l.surname = r.given_name "
        "and l.date_of_birth = r.date_of_birth",
    ]
    _train(linker, deterministic, [block_on("date_of_birth"), block_on("postcode")], 0.9)
    return _clusters(linker)


def _clusters(linker: Linker) -> dict[str, str]:
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    )
    rows = clusters.as_duckdbpyrelation().select("rec_id, cluster_id").fetchall()
    return {str(a): str(b) for a, b in rows}


PERSON_SQL = """
    select
        record_id as rec_id,
        nullif(lower(trim(split_part(voornamen, ' ', 1))), '') as first_name,
        nullif(lower(left(trim(voornamen), 1)), '') as initial,
        nullif(lower(trim(concat_ws(' ', voorvoegsel, geslachtsnaam))), '') as surname,
        nullif(trim(geboortedatum), '') as dob,
        nullif(upper(replace(postcode, ' ', '')), '') as postcode,
        nullif(trim(huisnummer), '') as house_number,
        nullif(lower(trim(woonplaats)), '') as town
    from persons
"""


def dedupe_persons(frame: pd.DataFrame) -> dict[str, str]:
    """The generator's persons (Dutch columns), blocked on the keys ``weerbaar.matching``
    started from (names, date of birth, postcode, house number)."""
    con = duckdb.connect()
    con.register("persons", frame)
    prepared = con.sql(PERSON_SQL).df()
    db_api = DuckDBAPI(connection=con)
    table = db_api.register(prepared)
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("initial", "dob", "substr(postcode, 1, 4)"),
            block_on("surname", "first_name"),
            block_on("postcode", "initial"),
            block_on("postcode", "house_number"),
        ],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "dob", input_is_string=True, invalid_dates_as_null=True
            ).configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("house_number"),
            cl.ExactMatch("town").configure(term_frequency_adjustments=True),
        ],
    )
    linker = Linker(table, settings, log_level=logging.WARNING)
    deterministic = [block_on("surname", "first_name", "dob")]
    # EM blocks that do not gather housemates (a shared address would teach it that
    # different first names are normal among matches).
    em_rules = [
        block_on("surname", "dob"),
        block_on("first_name", "surname"),
        block_on("dob", "postcode"),
    ]
    _train(linker, deterministic, em_rules, 0.7, u_pairs=1e7)
    return _clusters(linker)
