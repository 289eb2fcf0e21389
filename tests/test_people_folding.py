"""Search folding: the letters people type for one another find the same person."""
import pytest

from forum.people.folding import fold


@pytest.mark.parametrize("typed", ["Раҳимова", "Рахимова", "рахимова", "Rahimova", "Rakhimova", "RAHIMOVA"])
def test_every_way_of_typing_rahimova_folds_alike(typed):
    assert fold(typed) == "rahimova"


@pytest.mark.parametrize(("tajik", "russian_keyboard", "latin"), [
    ("Ғафуров", "Гафуров", "Ghafurov"),
    ("Қодиров", "Кодиров", "Qodirov"),
    ("Ҷӯраев", "Чураев", "Churaev"),
    ("Раҳмонӣ", "Рахмони", "Rahmoni"),
    ("Ёров", "Еров", "Yerov"),
    ("Джамшед", "Джамшед", "Jamshed"),
    ("Юсупова", "Юсупова", "Yusupova"),
])
def test_tajik_letters_fold_onto_the_russian_keyboard_and_latin(tajik, russian_keyboard, latin):
    assert fold(tajik) == fold(russian_keyboard)
    if latin != "Yerov":  # "Ye" for е is a Russian passport habit the table does not follow
        assert fold(tajik) == fold(latin)


def test_punctuation_and_spaces_collapse_and_accents_go():
    assert fold("  Абду-Рахим   Émile ") == "abdu rahim emile"
    assert fold(None) == "" and fold("") == ""
