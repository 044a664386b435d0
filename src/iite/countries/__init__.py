"""Country profiles: SDG 4 ICT indicators and the ICT-in-education policy self-assessment."""
