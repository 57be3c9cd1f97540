"""Does a wrong activation code answer in the same time as a wrong birth date?

The two refusals must not tell an attacker which half was wrong. Prints the median server time of each
path and their ratio (1.00 = indistinguishable), with a successful verification as the baseline.
Usage: .venv/bin/python bench/activation_timing.py [repeat]
"""
from __future__ import annotations

import sys
from datetime import date

from _app import bench_app, median_ms, timed


def main(repeat: int = 200) -> None:
    app = bench_app()
    from tests.factories import BIRTH_DATE, create_complaint, create_service
    from webapp.audit import Actor
    from webapp.enrolment.codes import generate_code
    from webapp.enrolment.service import ActivationError, issue_activation_code, verify_activation

    with app.app_context():
        service = create_service()
        complaints = [create_complaint(service) for _ in range(repeat // 4 + 2)]
        actor = Actor.anonymous("203.0.113.7")
        by = Actor.system("bench")
        codes = iter([issue_activation_code(c, by).code for c in complaints])
        state = {"code": next(codes), "uses": 0}

        def fresh_code() -> str:  # four wrong birth dates per code, so none gets locked
            if state["uses"] == 4:
                state.update(code=next(codes), uses=0)
            state["uses"] += 1
            return state["code"]

        def attempt(code: str, birth: date):
            try:
                verify_activation(code, birth, actor)
            except ActivationError:
                pass

        unknown = timed(lambda: attempt(generate_code(), BIRTH_DATE), repeat)
        wrong_birth = timed(lambda: attempt(fresh_code(), date(1970, 1, 1)), repeat)
        good_codes = iter([issue_activation_code(create_complaint(service), by).code for _ in range(repeat)])
        right = timed(lambda: attempt(next(good_codes), BIRTH_DATE), repeat)

    base = median_ms(right)
    print(f"{'path':<28} {'median ms':>10} {'ratio to success':>17}")
    for label, samples in [("right code and birth date", right), ("unknown code", unknown),
                           ("wrong birth date", wrong_birth)]:
        print(f"{label:<28} {median_ms(samples):>10.3f} {median_ms(samples) / base:>17.2f}")
    print(f"wrong birth date / unknown code: {median_ms(wrong_birth) / median_ms(unknown):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
