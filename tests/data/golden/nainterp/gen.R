# Golden outputs for lib/nainterp: R's forecast::na.interp on series with
# holes punched at fixed positions. Run: Rscript gen.R (R 4.2.2, forecast 8.20).
# Each NAME.csv has columns y (the input, empty where missing) and filled
# (na.interp's output), numbers with 17 significant digits.
suppressMessages(library(forecast))
f17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
dump <- function(y, name) {
  out <- na.interp(y)
  lin <- na.interp(y, linear = TRUE)
  path <- if (frequency(y) <= 1 || sum(!is.na(y)) <= 2 * frequency(y)) "linear"
          else if (isTRUE(all.equal(as.numeric(out), as.numeric(lin)))) "fallback-linear"
          else "seasonal"
  write.csv(data.frame(y = f17(as.numeric(y)), filled = f17(as.numeric(out))),
            paste0(name, ".csv"), row.names = FALSE, quote = FALSE)
  per <- if (inherits(y, "msts")) paste(attr(y, "msts"), collapse = " ") else frequency(y)
  cat(name, ": n =", length(y), " missing =", sum(is.na(y)), " periods =", per,
      " path =", path, "\n", file = "CASES.txt", append = TRUE)
}
unlink("CASES.txt")

# monthly, seasonal path: single holes, a pair, a whole year, both ends
y <- AirPassengers
y[c(1, 5, 30, 31, 60:71, 100, 143, 144)] <- NA
dump(y, "airpass_holes")

# 30 points with 25 present (> 2 * 12): the seasonal path on a short series
y <- window(AirPassengers, end = c(1951, 6))
y[c(2, 10, 16, 20, 25)] <- NA
dump(y, "airpass30_seasonal")

# 30 points with 22 present (<= 2 * 12): linear
y <- window(AirPassengers, end = c(1951, 6))
y[c(2, 10:16)] <- NA
dump(y, "airpass30_linear")

# annual (frequency 1): linear, constant ends
y <- Nile
y[c(1:3, 20, 21, 50:60, 99, 100)] <- NA
dump(y, "nile_linear")

# monthly, long: polynomial degree 6, a 31-month gap
y <- co2
y[c(100:130, 200, 300:311, 468)] <- NA
dump(y, "co2_holes")

# quarterly: K = 2, the sine at frequency 2/4 left out
y <- UKgas
y[c(10, 11, 40:43, 80)] <- NA
dump(y, "ukgas_holes")

# half-hourly, msts(48, 336): K = 20 each, frequencies 7/336 = 1/48 and
# 14/336 = 2/48 appear once; mstl iterates twice (same series as
# ../stl/mstl_halfhourly_48_336.csv)
set.seed(11)
n <- 48 * 7 * 5; i <- 1:n
y <- 500 + 0.02 * i + 80 * sin(2 * pi * i / 48) + 50 * cos(2 * pi * i / 336) + rnorm(n, 0, 6)
y <- msts(y, seasonal.periods = c(48, 336))
y[c(100:147, 500, 1000:1010, 1680)] <- NA
dump(y, "halfhourly_msts_holes")

# heavy-tailed noise: a filled value lands more than half the observed range
# outside it, so na.interp falls back to linear interpolation
set.seed(373)
f <- sample(c(4, 7, 12), 1)
n <- sample((2 * f + 3):(6 * f), 1)
y <- ts(rcauchy(n) + 5 * sin(2 * pi * (1:n) / f), frequency = f)
nm <- sample(1:(n - 2 * f - 1), 1)
y[sample(n, nm)] <- NA
dump(y, "cauchy_fallback")
