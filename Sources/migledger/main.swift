print("migledger")
