# Extra golden outputs for lib/stl beyond gen.R: robustness weights, strength
# measures, mstl on a single-period ts (as na.interp calls it) and mstl's
# non-seasonal branch (stats::supsmu). Run: Rscript gen_extra.R (R >= 4.2,
# forecast 8.20). Numbers written with 17 significant digits.
suppressMessages(library(forecast))
f17 <- function(x) sprintf("%.17g", x)
put <- function(df, name) {
  df[] <- lapply(df, function(col) if (is.numeric(col)) f17(col) else col)
  write.csv(df, name, row.names = FALSE, quote = FALSE)
}
# stl() robustness weights
w1 <- stl(co2, s.window = 7, robust = TRUE)$weights
w2 <- stl(log(AirPassengers), s.window = 13, robust = TRUE)$weights
put(data.frame(weights = w1), "co2_s7_robust_weights.csv")
put(data.frame(weights = w2), "logairpass_s13_robust_weights.csv")
# strength: max(0, 1 - var(R)/var(S + R)) and max(0, 1 - var(R)/var(T + R))
fit <- stl(co2, s.window = 7)$time.series
S <- fit[, "seasonal"]; T <- fit[, "trend"]; R <- fit[, "remainder"]
put(data.frame(name = "co2_s7",
               seasonal_strength = max(0, 1 - var(R) / var(S + R)),
               trend_strength = max(0, 1 - var(R) / var(T + R))), "strength.csv")
# mstl on a plain ts with robust = TRUE: iterate 1, s.window 11
m <- mstl(AirPassengers, robust = TRUE)
put(data.frame(y = as.numeric(AirPassengers), trend = m[, "Trend"],
               seasonal_12 = m[, "Seasonal12"], remainder = m[, "Remainder"]),
    "mstl_airpass_robust.csv")
# mstl on a non-seasonal series: trend = supsmu(1:n, y)$y
set.seed(7)
n <- 300
y <- 10 + cumsum(rnorm(n, 0, 0.3)) + 3 * sin(seq_len(n) / 25) + rnorm(n)
m <- mstl(ts(y))
put(data.frame(y = y, trend = m[, "Trend"], remainder = m[, "Remainder"]),
    "mstl_nonseasonal_300.csv")
y <- c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9)
put(data.frame(y = y, trend = supsmu(seq_along(y), y)$y), "supsmu_15.csv")
