"""Routing that knows cost: off by default; with the weight set, equal fit and equal projections go
to the cheaper specialist, and the explanation says cost decided."""
from broker.routing.engine import cheapness
from broker.routing.explain import Explainer
from broker.routing.round_data import Weights
from tests.unit.test_routing_engine import decide, person, task


def twins():
    """Two specialists alike in everything but what an hour of them costs (the dearer first)."""
    return [person(1, "Asia/Manila", "07:00", "16:00", hourly_cost=40.0),
            person(2, "Asia/Manila", "07:00", "16:00", hourly_cost=22.5)]


def test_cost_is_off_by_default():
    rnd, (decision,) = decide(twins(), [task(10)])
    assert Weights().cost == 0.0
    assert decision.specialist_id == 1  # the tie goes by the roster order
    explained = Explainer(rnd).explain(decision)
    assert explained["cost_decided"] is False and "cost" not in explained["summary"]


def test_with_a_cost_weight_the_cheaper_of_equals_wins_and_the_explanation_says_so():
    rnd, (decision,) = decide(twins(), [task(10)], weights=Weights(cost=0.5))
    assert decision.specialist_id == 2
    explained = Explainer(rnd).explain(decision)
    assert explained["cost_decided"] is True
    assert "cost decided" in explained["summary"]
    assert explained["winner"]["factors"]["cost"] == 1.0


def test_cost_does_not_outweigh_finishing_on_time():
    dear_but_sooner = person(1, "Asia/Manila", "07:00", "16:00", hourly_cost=40.0)
    cheap_but_asleep = person(2, "America/New_York", "09:00", "10:00", hourly_cost=10.0)
    rnd, (decision,) = decide([cheap_but_asleep, dear_but_sooner], [task(10)],
                              weights=Weights(cost=0.5))
    assert decision.specialist_id == 1
    assert Explainer(rnd).explain(decision)["cost_decided"] is False


def test_cheapness_ranks_the_round_and_unset_costs_score_nothing():
    assert cheapness([10.0, 20.0, None, 15.0]).tolist() == [1.0, 0.0, 0.0, 0.5]
    assert cheapness([None, None]).tolist() == [0.0, 0.0]
    assert cheapness([30.0]).tolist() == [1.0]
