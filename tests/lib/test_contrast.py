import pytest

from roer.lib.contrast import (
    contrast_with_white,
    meets_aa_on_white,
    normalise_hex,
    parse_hex,
)


def test_it_parses_long_and_short_hex() -> None:
    assert parse_hex("#1a2B3c") == (0x1A, 0x2B, 0x3C)
    assert parse_hex("#fa0") == (255, 170, 0)
    assert normalise_hex("#FA0") == "#ffaa00"


@pytest.mark.parametrize("bad", ["", "123456", "#12345", "#ggg000", "red", "#1234567"])
def test_it_rejects_anything_that_is_not_hex(bad: str) -> None:
    with pytest.raises(ValueError, match="not a hex colour"):
        parse_hex(bad)


def test_black_on_white_is_21_to_1() -> None:
    # (1.0 + 0.05) / (0.0 + 0.05)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)


def test_777777_just_fails_aa() -> None:
    # 0x77/255 = 0.4667 -> ((0.4667+0.055)/1.055)^2.4 = 0.1845; (1.05)/(0.2345) = 4.48
    assert contrast_with_white("#777777") == pytest.approx(4.48, abs=0.005)
    assert not meets_aa_on_white("#777777")


def test_767676_just_passes_aa() -> None:
    # 0x76/255 = 0.4627 -> 0.1812; 1.05 / 0.2312 = 4.54
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.005)
    assert meets_aa_on_white("#767676")
