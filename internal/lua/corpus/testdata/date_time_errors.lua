-- os.time with missing or bad fields
print(pcall(os.time, {year = 2020, month = 1}))
print(pcall(os.time, {year = 2020, day = 1}))
print(pcall(os.time, {month = 1, day = 1}))
print(pcall(os.time, {year = "2020", month = "1", day = "1", hour = "0"}))
print(pcall(os.time, {year = 2020, month = 1, day = "x"}))
print(pcall(os.time, 5))
