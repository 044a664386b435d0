"""Primitives every app builds on: base model, errors, translated text, permissions, pagination."""
