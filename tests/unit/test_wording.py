"""Counts are said in words that agree with them."""

from firstresponse.wording import plural


def test_one_takes_the_singular_and_others_the_plural() -> None:
    assert plural(1, "live warrant") == "1 live warrant"
    assert plural(0, "live warrant") == "0 live warrants"
    assert plural(2, "entry", "entries") == "2 entries"
