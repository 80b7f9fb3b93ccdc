"""Legacy rule names (bay:*, baymodel:*) as aliases of the modern rules.

``bay:create`` defaults to ``rule:cluster:create``: an operator who never
touches the legacy names gets the same checks on both routes, and one who
overrides ``bay:create`` changes only the legacy route.
"""

from oslo_policy import policy


def aliases(old: str, new: str, rules: list, collection: str) -> list:
    aliased = []
    for rule in rules:
        action = rule.name.split(":", 1)[1]
        aliased.append(
            policy.DocumentedRuleDefault(
                name=f"{old}:{action}",
                check_str=f"rule:{new}:{action}",
                description=f"Legacy name of {rule.name}, checked on {collection}.",
                operations=[
                    {
                        "path": op["path"]
                        .replace(f"/v1/{new}s", collection)
                        .replace("clustertemplates", old + "s"),
                        "method": op["method"],
                    }
                    for op in rule.operations
                ],
            )
        )
    return aliased
