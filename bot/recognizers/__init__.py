"""Identifying-detail recognizers: one small module per kind of detail, each returning :class:`Detail` hits."""

from bot.recognizers.address import AddressRecognizer
from bot.recognizers.base import DIRECT_KINDS, LOCATING_KINDS, QUASI_KINDS, Detail, Recognizer
from bot.recognizers.dob import DateOfBirthRecognizer
from bot.recognizers.email import EmailRecognizer
from bot.recognizers.media import MediaRecognizer
from bot.recognizers.phone import PhoneRecognizer
from bot.recognizers.routine import RoutineRecognizer
from bot.recognizers.rules import RuleRecognizer
from bot.recognizers.school import SchoolRecognizer
from bot.recognizers.social import SocialRecognizer
from bot.recognizers.traits import TraitRecognizer
from bot.recognizers.vehicle import VehicleRecognizer
from bot.recognizers.workplace import WorkplaceRecognizer


def default_recognizers() -> list[Recognizer]:
    """Every text recognizer, in a stable order (media attachments are handled separately)."""
    return [
        PhoneRecognizer(),
        EmailRecognizer(),
        AddressRecognizer(),
        SocialRecognizer(),
        SchoolRecognizer(),
        WorkplaceRecognizer(),
        VehicleRecognizer(),
        DateOfBirthRecognizer(),
        MediaRecognizer(),
        TraitRecognizer(),
        RoutineRecognizer(),
        RuleRecognizer(),
    ]


__all__ = [
    "DIRECT_KINDS",
    "LOCATING_KINDS",
    "QUASI_KINDS",
    "AddressRecognizer",
    "DateOfBirthRecognizer",
    "Detail",
    "EmailRecognizer",
    "MediaRecognizer",
    "PhoneRecognizer",
    "Recognizer",
    "RoutineRecognizer",
    "RuleRecognizer",
    "SchoolRecognizer",
    "SocialRecognizer",
    "TraitRecognizer",
    "VehicleRecognizer",
    "WorkplaceRecognizer",
    "default_recognizers",
]
