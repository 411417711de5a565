"""秦创原知识产权质押融资智能助手: Chinese retrieval-augmented assistant for IP-pledge and tech financing."""

__version__ = "0.1.0"
