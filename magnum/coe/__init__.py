"""Talk to what runs on a bay (its Docker Engine API, its Kubernetes API).

Drivers provision a bay's hosts and hand out clients for them; the modules
here use those clients. ``docker`` is the only module that calls the Docker
SDK for containers on bays.
"""
