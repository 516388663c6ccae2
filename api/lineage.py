"""REST resources (placeholder until the routes land)."""

from fastapi import APIRouter

router = APIRouter()
