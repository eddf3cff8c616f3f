"""The 14 crime types that data.police.uk publishes, and what "All crime" means here."""

ALL_CRIME = "All crime"
ANTI_SOCIAL_BEHAVIOUR = "Anti-social behaviour"

# In the order data.police.uk lists them.
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)


def counts_as_recorded_crime(crime_type: str) -> bool:
    """Police recorded crime does not include anti-social behaviour incidents, so neither does 'All crime'."""
    return crime_type != ANTI_SOCIAL_BEHAVIOUR


# --- the crime measures street data gives, for every force and partnership ("is it just us?") ---

NEIGHBOURHOOD_CRIME = ("Burglary", "Robbery", "Theft from the person", "Vehicle crime")


def measure_id_of(name: str) -> str:
    """'Violence and sexual offences' -> 'violence_and_sexual_offences'."""
    return "_".join(name.lower().replace("-", " ").split())


# (measure_id, name, the crime types it adds up). 'All crime' is the rolled-up row of
# area_month_totals (every type but anti-social behaviour), counted once, never expanded.
# Every one is a count for which lower is better: the same rules as the plan's crime measures.
STREET_MEASURES = (
    ("all_crime", ALL_CRIME, (ALL_CRIME,)),
    ("neighbourhood_crime", "Neighbourhood crime", NEIGHBOURHOOD_CRIME),
) + tuple((measure_id_of(crime_type), crime_type, (crime_type,)) for crime_type in CRIME_TYPES)


def street_measure(crime_types) -> tuple[str, str] | None:
    """(id, name) of the street measure adding up exactly these crime types (a plan measure's, say);
    None for none. The one rule that pairs a plan measure with its street measure: the peers'
    ratings beside it, and its step changes applied to every place's series."""
    wanted = set(crime_types)
    return next(((measure_id, name) for measure_id, name, types in STREET_MEASURES if set(types) == wanted), None)
