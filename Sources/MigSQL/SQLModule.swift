enum SQLModule {}
