-- os.date with invalid conversions
print(pcall(os.date, "%Q", 0))
print(pcall(os.date, "%", 0))
print(pcall(os.date, "%Ez", 0))
print(os.date("!%Ey %Od", 0))
print(pcall(os.date, "%Y", "notanumber"))
