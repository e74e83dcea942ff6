local x = 0.344638824462890625
print(string.format("%.17g", x), string.format("%.18g", x), string.format("%.16g", x), string.format("%.20g", x))
print(string.format("%.17g", 0.0089235305786132812), string.format("%.17g", 2.5), string.format("%.1f", 0.25), string.format("%.2f", 1.005))
print(string.format("%.17g", 0.5), string.format("%.3g", 0.0001235), string.format("%.17e", x))
