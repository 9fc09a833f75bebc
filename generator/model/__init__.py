"""What staff may write: the plan (plan.py), one-off events and series (event.py), and the problems
found in what they wrote (errors.py). Pydantic models, frozen; they import nothing else of the generator."""
