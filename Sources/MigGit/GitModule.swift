enum GitModule {}
