"""The verification API: one APIView per operation, no logic beyond input checks."""
