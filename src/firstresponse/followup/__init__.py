"""After the submit key: the victim's contact plan, case outcomes and DVDS applications.

Headless: functions take a SQLModel session and write records with their outbox
envelopes in the caller's transaction; the plan and the deadlines are pure.
"""
