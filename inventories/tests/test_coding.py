"""The theme suggestions: Swedish stems and prefixes, with the matched words shown."""

from inventories.coding import Matcher, stem, suggest


def test_swedish_inflections_share_a_stem():
    assert stem("skolan") == stem("skolor") == stem("skola") == "skol"
    assert stem("arbetet") == stem("arbete")
    assert stem("språket") == "språk"


def test_a_keyword_matches_its_inflected_forms_and_says_which_words():
    matchers = [Matcher.of(1, ["skola", "läx*"]), Matcher.of(2, ["bostad"]), Matcher.of(3, ["hälsa"])]
    found = suggest("Läxhjälp efter skolan, och bostaden är för trång. Läxorna!", matchers)
    assert found == {1: ["läxhjälp", "skolan", "läxorna"], 2: ["bostaden"]}


def test_a_star_matches_only_the_beginning_of_a_word():
    matchers = [Matcher.of(1, ["jobb*"])]
    assert suggest("Jobbcoach och nytt jobb", matchers) == {1: ["jobbcoach", "jobb"]}
    assert suggest("Inget om arbetsjobb här", matchers) == {}


def test_no_keywords_no_suggestions():
    assert suggest("Vad som helst", [Matcher.of(1, [])]) == {}
    assert suggest("", [Matcher.of(1, ["skola"])]) == {}
