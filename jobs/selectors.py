from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from .models import Job


def job_for_user(*, user: AbstractBaseUser, pk: int) -> Job | None:
    """A job its creator (or a superuser) may follow; None for anyone else."""
    jobs = Job.objects.all() if user.is_superuser else Job.objects.filter(created_by=user)
    return jobs.filter(pk=pk).first()


def job_by_key(key: str) -> Job | None:
    return Job.objects.filter(idempotency_key=key).first()
