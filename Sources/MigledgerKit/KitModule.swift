enum KitModule {}
