"""Swedish words to search keys, and the query language kept out of reach."""

import pytest

from search import text


@pytest.mark.parametrize(
    "forms",
    [
        ["bostad", "bostäder", "bostaden", "bostäderna", "bostads", "Bostäder"],
        ["stad", "städer", "staden", "städerna"],
        ["land", "länder", "länderna"],
        ["hand", "händer", "handen"],
        ["son", "söner"],
        ["barn", "barnen", "barnens"],
        ["utbildning", "utbildningar", "utbildningen", "utbildningarna"],
        ["kvinna", "kvinnor", "kvinnorna"],
        ["ungdom", "ungdomar", "ungdomarna"],
        ["nämnd", "nämnden", "nämnder"],
        ["mötesplats", "mötesplatser", "mötesplatsen"],
    ],
)
def test_inflected_forms_share_one_key(forms):
    assert len({text.key(word) for word in forms}) == 1, {word: text.key(word) for word in forms}


def test_without_the_fold_and_the_fixed_point_bostader_would_miss_bostad():
    """Why both steps exist: Snowball alone stems the two words apart."""
    import snowballstemmer

    stem = snowballstemmer.stemmer("swedish").stemWord
    assert stem("bostäder") != stem("bostad")
    assert stem("bostader") != stem("bostad")  # folded, but stemmed once
    assert text.key("bostäder") == text.key("bostad")


def test_different_words_keep_different_keys():
    assert len({text.key(w) for w in ["bostad", "skola", "arbete", "hälsa", "barn", "kultur"]}) == 6


def test_stop_words_are_left_out():
    assert text.keys("och i på bostäder") == [text.key("bostad")]
    assert text.query_keys("och i på") == []


@pytest.mark.parametrize(
    "typed",
    ['"', '"bostad', "bostad AND", "NEAR(bostad skola)", "*", "bost*", "(", ")", "'", "bostad'", "-bostad",
     "^bostad", "title_keys:bostad", "\\", "{bostad}", "bostad OR skola", "NOT bostad", "a & b | !c", "<mark>"],
)  # fmt: skip
def test_only_letters_and_digits_reach_the_query_language(typed):
    keys = text.query_keys(typed)
    assert all(k.isalnum() for k in keys), keys
    assert '"' not in text.fts5_query(keys).replace('" "', "").strip('"')
    assert all(part.startswith("'") and part.endswith("'") for part in text.tsquery(keys).split(" & ") if part)


def test_a_long_query_is_cut():
    assert len(text.query_keys(" ".join(f"ord{i}" for i in range(100)))) == text.MAX_QUERY_KEYS


def test_highlight_escapes_and_marks_inflected_hits():
    html = text.highlight("<b>Bostäder</b> & en bostad", {text.key("bostad")})
    assert html == "&lt;b&gt;<mark>Bostäder</mark>&lt;/b&gt; &amp; en <mark>bostad</mark>"


def test_snippet_is_cut_around_the_first_hit():
    body = " ".join(["ord"] * 200 + ["bostäder"] + ["annat"] * 200)
    snippet = text.snippet(body, {text.key("bostad")})
    assert "<mark>bostäder</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 300
