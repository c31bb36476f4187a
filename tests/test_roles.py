"""targets/roles.py: whose goal a verdict is about, one region at a time and for a block at once."""

from __future__ import annotations

from targets.roles import goal_scope_of, role_of, roles_of


def test_roles_of_a_block_equal_the_roles_one_by_one() -> None:
    regions = ["yrd", "shanghai", "anhui", "syn_county_000001", "central_zone", "yrd"]
    cases: list[tuple[tuple[str, ...], dict[str, float]]] = [
        (("yrd",), {}),  # a region's goal; everyone else a benchmark against it
        (("central_zone", "shanghai"), {"anhui": 2.5}),  # a value of Anhui's own
        ((), {}),  # no scope: each region is its own goal's scope
        ((), {"anhui": 1.0}),
    ]
    for scope, overrides in cases:
        scopes, roles = roles_of(regions, scope, overrides)
        assert scopes == [goal_scope_of(r, scope, overrides) for r in regions]
        assert roles == [role_of(r, scope, overrides) for r in regions]
    scopes, roles = roles_of(regions, ("central_zone", "shanghai"), {"anhui": 2.5})
    assert roles == ["benchmark", "goal", "goal", "benchmark", "goal", "benchmark"]
    assert scopes == [
        "central_zone",
        "shanghai",
        "anhui",
        "central_zone",
        "central_zone",
        "central_zone",
    ]
    assert roles_of([], ("yrd",), {}) == ([], [])
