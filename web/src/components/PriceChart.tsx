/**
 * Price chart: OHLC candles in tenge per tonne above a volume histogram in tonnes, drawn by TradingView's
 * lightweight-charts. Times are shown in exchange local time (UTC+5): the library draws UTC, so each bar's time is
 * shifted by the offset. The chart is created once per mount and its data replaced as new candles arrive.
 */

import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { Candle } from "../api/types.ts";

const EXCHANGE_UTC_OFFSET_SECONDS = 5 * 3600;
const UP = "#1f8a5b";
const DOWN = "#c2412d";

export function PriceChart({ candles, locale, label }: { candles: readonly Candle[]; locale: string; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const priceSeries = useRef<ISeriesApi<"Candlestick"> | null>(null);
  const volumeSeries = useRef<ISeriesApi<"Histogram"> | null>(null);
  const shownCount = useRef(0);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const price = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    const created = createChart(element, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: "#ffffff" },
        textColor: "#28323c",
        fontFamily: "inherit",
        panes: { separatorColor: "#d8dee4" },
      },
      grid: { vertLines: { color: "#eef1f4" }, horzLines: { color: "#eef1f4" } },
      localization: { locale, priceFormatter: (value: number) => price.format(value) },
      timeScale: { timeVisible: true, secondsVisible: false, maxBarSpacing: 40 },
      rightPriceScale: { borderColor: "#d8dee4" },
    });
    priceSeries.current = created.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderUpColor: UP,
      borderDownColor: DOWN,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    volumeSeries.current = created.addSeries(
      HistogramSeries,
      { color: "#7d93a8", priceFormat: { type: "volume" }, priceLineVisible: false, lastValueVisible: false },
      1,
    );
    const volumePane = created.panes()[1];
    volumePane?.setHeight(80);
    chart.current = created;
    shownCount.current = 0;
    return () => {
      created.remove();
      chart.current = null;
      priceSeries.current = null;
      volumeSeries.current = null;
    };
  }, [locale]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new locale recreates the chart, which must be filled again.
  useEffect(() => {
    const ascending = [...candles].sort((a, b) => a.startMs - b.startMs);
    const time = (candle: Candle) => (Math.floor(candle.startMs / 1000) + EXCHANGE_UTC_OFFSET_SECONDS) as UTCTimestamp;
    priceSeries.current?.setData(
      ascending.map((candle) => ({
        time: time(candle),
        open: candle.openTiynPerTonne / 100,
        high: candle.highTiynPerTonne / 100,
        low: candle.lowTiynPerTonne / 100,
        close: candle.closeTiynPerTonne / 100,
      })),
    );
    volumeSeries.current?.setData(
      ascending.map((candle) => ({
        time: time(candle),
        value: Number(candle.volumeKg) / 1000,
        color: candle.closeTiynPerTonne >= candle.openTiynPerTonne ? "#9fd3b9" : "#eab3a8",
      })),
    );
    // Few candles would be drawn as slivers at the right edge; spread them over the width instead.
    if (ascending.length !== shownCount.current) {
      shownCount.current = ascending.length;
      chart.current?.timeScale().fitContent();
    }
  }, [candles, locale]);

  return <div className="chart" ref={container} role="img" aria-label={label} />;
}
