"""The benchmark times every query file with BENCH_PARAMETERS: a query with a parameter it lacks
stopped `bench --scale national` after its import (a KeyError), and the suite runs no benchmark."""
from scrutiny.bench.demo_queries import BENCH_PARAMETERS
from scrutiny.store import queries


def test_every_query_files_parameters_have_a_benchmark_value():
    names = queries.query_names()
    assert "compare/place_ratings" in names  # the query that once lacked one ($level)
    missing = {name: sorted(set(queries.parameters_of(name)) - set(BENCH_PARAMETERS)) for name in names}
    assert {name: gaps for name, gaps in missing.items() if gaps} == {}
