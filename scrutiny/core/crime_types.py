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
