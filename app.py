"""Entry point: until the Playground page lands, a minimal page that trains the default
network (TensorFlow Playground's setup) when a button is pressed and shows the loss."""

import streamlit as st

from engine import Network, Trainer
from engine.datasets import circle

st.set_page_config(page_title="Neural-network playground", layout="wide")
st.title("Neural-network playground")
st.caption("Circle data, 500 points, half for training; layers 2-4-2-1, tanh, learning rate 0.03, batch 10, SGD.")

epochs = st.number_input("Epochs to train", min_value=1, max_value=5000, value=100, step=50)
if st.button("Train", type="primary"):
    data = circle(500, 0.0, seed=0)
    trainer = Trainer(Network([2, 4, 2, 1], "tanh", "tanh", seed=0), data.X, data.y, learning_rate=0.03)
    report = trainer.train(int(epochs))
    h = trainer.history
    if report.diverged:
        st.error(f"Training {report.message}: lower the learning rate and train again.")
    cols = st.columns(3)
    cols[0].metric("Epoch", trainer.epoch)
    cols[1].metric(
        "Test loss", f"{h.test_loss[-1]:.4f}", f"{h.test_loss[-1] - h.test_loss[0]:.4f}", delta_color="inverse"
    )
    cols[2].metric("Test accuracy", f"{h.test_accuracy[-1]:.1%}")
    st.line_chart({"train loss": h.train_loss, "test loss": h.test_loss})
