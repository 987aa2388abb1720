"""The clinic's words a patient meets, each explained in one plain line.

The portal speaks plainly; where a clinical term must appear (a product's name, a score in
the discharge letter or the results), the page lists it under "Words you may meet" with its
explanation (`words_to_know`). Add a term here, and its translations to the catalogues.
"""

from django.utils.translation import gettext_lazy as _

from celltrace.catalog.models import CellProduct, Route

GLOSSARY = {
    "EDSS": _(
        "Expanded Disability Status Scale: a doctor's score of how much multiple sclerosis "
        "affects walking and the body's functions, from 0 (none) to 10."
    ),
    "AIS": _(
        "ASIA Impairment Scale: a grade from A (no feeling or movement below the injury) to E "
        "(normal) that describes a spinal cord injury."
    ),
    "PIRA": _(
        "Progression independent of relapse activity: disability that grows slowly, without "
        "a sudden attack of multiple sclerosis."
    ),
    "CDI": _(
        "Confirmed disability improvement: a better disability score that was still better "
        "at the next check-up, so it is not a chance result."
    ),
    "CDW": _(
        "Confirmed disability worsening: a worse disability score that was still worse at "
        "the next check-up."
    ),
    "MSC": _(
        "Mesenchymal stem (stromal) cells: cells that support repair and calm inflammation, "
        "grown from bone marrow, fat tissue, umbilical cord or placenta."
    ),
    "exosome": _(
        "Exosomes: tiny particles released by cells, with no cells in them, that carry "
        "signals between cells."
    ),
    "secretome": _(
        "Secretome: everything useful cells release while they grow, given without the cells."
    ),
    "QC": _(
        "Quality control: the laboratory's tests that every cell product must pass (it is "
        "sterile, free of viruses, alive and of the right kind) before it is given."
    ),
    "CTCAE": _(
        "Common Terminology Criteria for Adverse Events: the standard grades of a side "
        "effect, from 1 (mild) to 5."
    ),
    "ISNCSCI": _("The standard examination of feeling and strength after a spinal cord injury."),
    "SCIM": _(
        "Spinal Cord Independence Measure: how independently a person manages everyday life."
    ),
    "autologous": _("Made from your own cells, taken from you before the treatment."),
    "allogeneic": _("Made from a donor's cells, tested and ready before you arrive."),
}

# How each kind of cell product is given, as a patient would say it.
ROUTES = {
    Route.INTRAVENOUS: _("through a drip into a vein (an infusion, under an hour)"),
    Route.INTRATHECAL: _(
        "by an injection into the fluid around the spinal cord, in the lower back"
    ),
    Route.LOCAL: _("by an injection at the place being treated"),
}

PRODUCT_KINDS = {
    CellProduct.Kind.MSC: _("Stem cells that support repair (MSC)"),
    CellProduct.Kind.NEURAL: _("Neural stem cells: cells that can become nerve cells"),
    CellProduct.Kind.MACROPHAGE: _("Macrophages: immune cells that clear damage"),
    CellProduct.Kind.EXOSOME: _("Exosomes: cell-free particles that carry repair signals"),
    CellProduct.Kind.SECRETOME: _("Secretome: what cells release, without the cells"),
}


# The terms a patient meets in their letters and results, by condition (catalog codes).
CONDITION_TERMS = {
    "ms": ("EDSS", "PIRA", "CDI", "CDW"),
    "sci": ("AIS", "ISNCSCI", "SCIM"),
}
# Where a product kind's name holds a term of the lab's.
KIND_TERMS = {
    CellProduct.Kind.MSC: "MSC",
    CellProduct.Kind.EXOSOME: "exosome",
    CellProduct.Kind.SECRETOME: "secretome",
}


def words_to_know(condition_code: str, products=()) -> list[tuple[str, str]]:
    """Return (term, explanation) of the terms this patient's plan, letter and results use."""
    terms = [KIND_TERMS[p.kind] for p in products if p.kind in KIND_TERMS]
    terms += [p.source for p in products]
    terms += ["QC", "CTCAE", *CONDITION_TERMS.get(condition_code, ())]
    return [(term, explain(term)) for term in dict.fromkeys(terms) if explain(term)]


def explain(term: str) -> str:
    """Return the plain explanation of a clinical term, or "" when it has none."""
    return str(GLOSSARY.get(term, ""))


def route_in_words(route: str) -> str:
    return str(ROUTES.get(route, ""))


def product_in_words(product: CellProduct) -> str:
    """Say what a cell product is and whose cells it holds, without the lab's words."""
    source = GLOSSARY.get(product.source, "")
    return f"{PRODUCT_KINDS.get(product.kind, product.get_kind_display())}. {source}".strip()
