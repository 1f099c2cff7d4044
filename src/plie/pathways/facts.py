"""Build the eligibility facts of a pathway from what the record holds, at a given date."""

import datetime

from plie.core.dates import age_on
from plie.core.months import period_length
from plie.participants.eligibility import EligibilityFacts
from plie.pathways.models import Pathway


def facts_for(
    pathway: Pathway, on: datetime.date, *, barrier_codes: frozenset[str] | None = None
) -> EligibilityFacts:
    """The facts of `pathway` at `on`; `barrier_codes` spares the query for unsaved pathways."""
    participant = pathway.participant
    if participant.commune_id:
        resides, commune_name = True, participant.commune.name
    elif participant.commune_outside_territory:
        resides, commune_name = False, participant.commune_outside_territory
    else:
        resides, commune_name = None, None
    # Out of work from `out_of_work_since` to the end of `on`, both days counted: since 10
    # January 2025, 12 months at the end of 9 January 2026, more than 12 the next day.
    out_of_work = (
        period_length(pathway.out_of_work_since, on) if pathway.out_of_work_since else None
    )
    barriers = barrier_codes
    if barriers is None and pathway.pk:
        barriers = frozenset(pathway.barriers.values_list("code", flat=True))
    return EligibilityFacts(
        commune_name=commune_name,
        resides_in_territory=resides,
        resides_in_qpv=(participant.qpv_id is not None) if resides is not None else None,
        right_to_work=participant.right_to_work,
        wishes_to_commit=pathway.wishes_to_commit,
        age=age_on(participant.birth_date, on) if participant.birth_date else None,
        sex=participant.sex or None,
        nationality=participant.nationality or None,
        labour_market_status=pathway.labour_market_status or None,
        months_out_of_work=out_of_work.months if out_of_work else None,
        out_of_work_extra_days=out_of_work.days if out_of_work else None,
        education_level=pathway.education_level.level if pathway.education_level_id else None,
        lacks_basic_skills=pathway.lacks_basic_skills,
        receives_rsa=pathway.receives_rsa,
        receives_other_minimum_benefits=pathway.receives_other_minimum_benefits,
        socio_professional_orientation=pathway.socio_professional_orientation,
        single_parent=pathway.single_parent,
        homeless_or_housing_exclusion=pathway.homeless_or_housing_exclusion,
        disability=pathway.disability,
        long_term_illness=pathway.long_term_illness,
        followed_by_cap_emploi=pathway.followed_by_cap_emploi,
        justice_measure=pathway.justice_measure,
        far_from_institutions=pathway.far_from_institutions,
        siae_employee=pathway.siae_employee,
        barriers=barriers,
    )
