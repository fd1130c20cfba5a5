"""A health condition named with nothing happening is not an emergency: "pojken har adhd och bor på Ekvägen 3"
once got the 112 answer, a classifier reading "har … och bor på …" as a child in danger. A diagnosis with a body
in trouble now (an attack, no air, gone) still is one."""

from __future__ import annotations

import pytest

from dialogs.nlu import safety_verdict


@pytest.mark.parametrize("text", [
    "pojken har adhd och bor på Ekvägen 3",
    "han har autism och bor på Ekvägen 3",
    "tjejen har epilepsi och bor på Ringvägen 8",
    "eleven är diabetiker och bor på Storgatan 12",
    "hon har astma, adress Björkvägen 5",
])
def test_a_condition_and_an_address_is_not_an_emergency(text):
    # Not 112; either no concern at all or, since it is one person's health beside an address, the answer for
    # one person's case. Both store nothing (the health guard would refuse the text in the log too).
    assert safety_verdict(text) in ("none", "individual_case")


@pytest.mark.parametrize("text", [
    "Elev i 7B har fått en astmaattack och medicinen hjälper inte, hon blir blå",
    "eleven med epilepsi har fått ett anfall och rör sig inte",
    "diabetikern i klassen är helt borta och svarar inte",
])
def test_a_condition_with_a_body_in_trouble_now_is_still_an_emergency(text):
    assert safety_verdict(text) == "emergency"
