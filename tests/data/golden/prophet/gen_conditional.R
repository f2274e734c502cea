# Golden output of R prophet 1.0 for conditional seasonalities (condition_name):
# hourly data, four weeks, with a weekday and a weekend daily profile.
# Run in this directory: Rscript gen_conditional.R
suppressMessages(library(prophet))
options(digits = 17)
Sys.setenv(TZ = "UTC")
fmt <- function(d) format(d, "%Y-%m-%d %H:%M:%S", tz = "UTC")
set.seed(7)
n <- 24 * 28
ds <- seq(as.POSIXct("2021-03-01 00:00:00", tz = "UTC"), by = "hour", length.out = n)
h <- as.numeric(format(ds, "%H", tz = "UTC"))
wd <- as.numeric(format(ds, "%u", tz = "UTC"))
weekend <- wd >= 6
# weekdays: one peak at 14:00; weekends: two peaks (10:00, 20:00), lower
y <- 100 + 0.02 * seq_len(n) +
  ifelse(weekend, 20 * cos(4 * pi * (h - 10) / 24), 40 * cos(2 * pi * (h - 14) / 24)) +
  rnorm(n, 0, 3)
y <- round(y, 3)
df <- data.frame(ds = ds, y = y, is_weekend = weekend, is_weekday = !weekend)
set.seed(42)
m <- prophet(daily.seasonality = FALSE, weekly.seasonality = FALSE, yearly.seasonality = FALSE,
             fit = FALSE)
m <- add_seasonality(m, name = "daily_weekday", period = 1, fourier.order = 4,
                     condition.name = "is_weekday")
m <- add_seasonality(m, name = "daily_weekend", period = 1, fourier.order = 4,
                     condition.name = "is_weekend")
m <- fit.prophet(m, df)
fut <- make_future_dataframe(m, periods = 48, freq = 3600)
fwd <- as.numeric(format(fut$ds, "%u", tz = "UTC"))
fut$is_weekend <- fwd >= 6
fut$is_weekday <- fwd < 6
fc <- predict(m, fut)
out <- data.frame(ds = fmt(fc$ds), y = c(df$y, rep(NA, 48)), yhat = fc$yhat, trend = fc$trend,
                  daily_weekday = fc$daily_weekday, daily_weekend = fc$daily_weekend)
write.csv(out, "conditional.out.csv", row.names = FALSE, na = "", quote = FALSE)
inp <- data.frame(ds = fmt(df$ds), y = df$y,
                  is_weekend = ifelse(df$is_weekend, "true", "false"))
write.csv(inp, "conditional.in.csv", row.names = FALSE, na = "", quote = FALSE)
