"""The normal results the demo's screening visits find: the starting rules call them eligible."""

NORMAL_LABS = {
    "haemoglobin": (13.5, "g/dL"),
    "platelets": (250, "x10^9/L"),
    "white_cells": (6.5, "x10^9/L"),
    "inr": (1.0, "INR"),
    "egfr": (95, "mL/min/1.73m2"),
    "alt": (25, "U/L"),
    "ast": (25, "U/L"),
    "crp": (2, "mg/L"),
}
