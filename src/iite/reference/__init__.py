"""Shared vocabularies of ICT in education, held as data in the six UN languages."""
