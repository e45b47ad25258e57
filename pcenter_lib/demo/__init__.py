"""The synthetic demo region: ``pcenter demo --seed N --scale demo|region``.

``build_demo_region(workbench, seed=..., scale=..., compliant=..., progress=...)`` fills an empty
database with a deterministic synthetic region — schools, children with encrypted identities,
the Center's staff and users, and two school years of history — plus the hidden ground truth
(``demo_ground_truth``) that a risk model can later be judged against. ``data/README.md``
describes the generative model. Every name in it is synthetic.
"""

from pcenter_lib.demo.build import (
    DemoSummary,
    InvalidDemoSeedError,
    build_demo_region,
    database_has_data,
)
from pcenter_lib.demo.scales import DEMO_TODAY, REFERENCE_MOMENT, SCALES, UnknownScaleError
from pcenter_lib.demo.writer import DemoDatabaseNotEmptyError

__all__ = [
    "DEMO_TODAY",
    "REFERENCE_MOMENT",
    "SCALES",
    "DemoDatabaseNotEmptyError",
    "DemoSummary",
    "InvalidDemoSeedError",
    "UnknownScaleError",
    "build_demo_region",
    "database_has_data",
]
