"""The knowledge hub: publications, policy documents, case studies and open resources."""
