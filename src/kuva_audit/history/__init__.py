"""The compact history of audits: what trends, baselines and progress need, night by night."""
