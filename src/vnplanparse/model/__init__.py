"""Model and schema: the output contract of ../shared/ANNOTATION.md.

plan.py holds the pydantic models (PlanDocument and its items); schema.py generates
schemas/plan.schema.json from them. Hands on: the models every stage fills and output validates."""
