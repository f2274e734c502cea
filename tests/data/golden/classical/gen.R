# SPDX-License-Identifier: GPL-3.0-or-later
# gen.R: golden outputs of R's classical forecasting models for
# tests/unit/test_classical.c and test_ets.c. Run here: Rscript gen.R
# Each NAME.csv has one row per history point (y, fitted) then one per
# future step (mean, lower, upper at 80%); params.csv (separator ;) has one
# row per NAME.
suppressMessages(library(forecast))
level <- 80
g <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
params <- list()
put <- function(name, series, y, fitted, fc_mean, fc_lower, fc_upper, p) {
  n <- length(y); h <- length(fc_mean)
  d <- data.frame(i = seq_len(n + h), y = g(c(as.numeric(y), rep(NA, h))),
                  fitted = g(c(as.numeric(fitted), rep(NA, h))),
                  mean = g(c(rep(NA, n), as.numeric(fc_mean))),
                  lower = g(c(rep(NA, n), as.numeric(fc_lower))),
                  upper = g(c(rep(NA, n), as.numeric(fc_upper))))
  write.csv(d, paste0(name, ".csv"), row.names = FALSE, quote = FALSE)
  base <- list(name = name, series = series, m = frequency(y), h = h, method = "",
               alpha = NA, beta = NA, gamma = NA, phi = NA, loglik = NA, aic = NA,
               aicc = NA, bic = NA, sigma2 = NA, sse = NA)
  for (k in names(p)) base[[k]] <- p[[k]]
  params[[name]] <<- base
}
data <- list(AirPassengers = AirPassengers, co2 = co2, USAccDeaths = USAccDeaths,
             Nile = Nile, UKDriverDeaths = UKDriverDeaths)
hh <- function(y) if (frequency(y) > 1) 2 * frequency(y) else 10

# naive, snaive, drift
for (s in c("Nile", "AirPassengers")) {
  y <- data[[s]]; f <- naive(y, h = hh(y), level = level)
  put(paste0("naive_", s), s, y, f$fitted, f$mean, f$lower, f$upper, list(method = f$method, sigma2 = f$model$sigma2))
}
for (s in c("AirPassengers", "USAccDeaths")) {
  y <- data[[s]]; f <- snaive(y, h = hh(y), level = level)
  put(paste0("snaive_", s), s, y, f$fitted, f$mean, f$lower, f$upper, list(method = f$method))
}
for (s in c("Nile", "UKDriverDeaths")) {
  y <- data[[s]]; f <- rwf(y, drift = TRUE, h = hh(y), level = level)
  put(paste0("drift_", s), s, y, f$fitted, f$mean, f$lower, f$upper, list(method = f$method))
}

# HoltWinters: given parameters and fitted ones
hwput <- function(name, s, fit, h) {
  y <- data[[s]]
  p <- predict(fit, n.ahead = h, prediction.interval = TRUE, level = level / 100)
  xh <- rep(NA, length(y)); fx <- fit$fitted[, "xhat"]
  xh[(length(y) - length(fx) + 1):length(y)] <- as.numeric(fx)
  put(name, s, y, xh, p[, "fit"], p[, "lwr"], p[, "upr"],
      list(method = fit$seasonal, alpha = as.numeric(fit$alpha), beta = as.numeric(fit$beta),
           gamma = as.numeric(fit$gamma), sse = fit$SSE))
}
hwput("hw_given_co2", "co2", HoltWinters(co2, alpha = 0.5, beta = 0.01, gamma = 0.5), 24)
hwput("hw_given_AirPassengers", "AirPassengers",
      HoltWinters(AirPassengers, alpha = 0.3, beta = 0.05, gamma = 0.8, seasonal = "multiplicative"), 24)
hwput("hw_ses_Nile", "Nile", HoltWinters(Nile, beta = FALSE, gamma = FALSE), 10)
hwput("hw_co2", "co2", HoltWinters(co2), 24)
hwput("hw_AirPassengers", "AirPassengers", HoltWinters(AirPassengers, seasonal = "multiplicative"), 24)
hwput("hw_USAccDeaths", "USAccDeaths", HoltWinters(USAccDeaths), 24)
hwput("hw_holt_Nile", "Nile", HoltWinters(Nile, gamma = FALSE), 10)

# ets: automatic choice and a few fixed models
etsput <- function(name, s, fit, h) {
  y <- data[[s]]; f <- forecast(fit, h = h, level = level)
  p <- fit$par
  put(name, s, y, fit$fitted, f$mean, f$lower, f$upper,
      list(method = fit$method, alpha = p["alpha"], beta = p["beta"], gamma = p["gamma"],
           phi = p["phi"], loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc, bic = fit$bic,
           sigma2 = fit$sigma2, sse = sum(residuals(fit)^2)))
}
for (s in names(data)) etsput(paste0("ets_", s), s, ets(data[[s]]), hh(data[[s]]))
etsput("ets_MAM_AirPassengers", "AirPassengers", ets(AirPassengers, "MAM", damped = FALSE), 24)
etsput("ets_AAdA_USAccDeaths", "USAccDeaths", ets(USAccDeaths, "AAA", damped = TRUE), 24)
etsput("ets_MNN_Nile", "Nile", ets(Nile, "MNN"), 10)

# theta
for (s in c("AirPassengers", "USAccDeaths", "Nile", "co2")) {
  y <- data[[s]]; f <- thetaf(y, h = hh(y), level = level)
  put(paste0("theta_", s), s, y, f$fitted, f$mean, f$lower, f$upper,
      list(method = f$method, alpha = f$model$alpha, sigma2 = f$model$sigma))
}

# stlf (mstl + ets on the seasonally adjusted series)
for (s in c("AirPassengers", "co2", "USAccDeaths", "UKDriverDeaths")) {
  y <- data[[s]]; f <- stlf(y, h = hh(y), level = level)
  put(paste0("mstl_", s), s, y, f$fitted, f$mean, f$lower, f$upper,
      list(method = f$method, alpha = f$model$par["alpha"], beta = f$model$par["beta"],
           phi = f$model$par["phi"], aicc = f$model$aicc))
}

pt <- do.call(rbind, lapply(params, function(p) {
  q <- lapply(p, function(v) if (is.numeric(v)) g(as.numeric(v)) else as.character(v))
  as.data.frame(q, stringsAsFactors = FALSE)
}))
write.table(pt, "params.csv", sep = ";", row.names = FALSE, quote = FALSE)
cat(R.version.string, "; forecast", as.character(packageVersion("forecast")), "\n", file = "VERSIONS.txt")
