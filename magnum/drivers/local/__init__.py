"""Local bays: Docker-in-Docker nodes on one Docker engine, forming a swarm."""
